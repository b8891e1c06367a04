/**
 * What happens to a removed provider's tokens. Where the host can read every
 * user's row (ConnectionRepository.ofProvider: the standalone host's SQL), they
 * are revoked at the provider (RFC 7009) after the removal is answered, a few
 * at a time, each bounded by the engine's revocation timeout, only at the
 * origin that issued them; the admin gets a direct message with the outcome.
 * The Apps plugin's user store answers only for the acting user, so there the
 * tokens just become unusable (the answer says so).
 */
import { providerOrigin, type ProviderConfig } from '@oauth2-connect/engine';
import { md } from '../format.js';
import type { ConnectionRow } from '../ports.js';
import type { StoredProvider } from '../provider_records.js';
import type { CoreRequest } from '../request.js';
import { openProvider } from '../providers.js';
import type { AdminDeps } from './provider_secrets.js';

/** Revocations in flight at once: enough to finish thousands in minutes, few enough not to look like an attack. */
const IN_FLIGHT = 4;

interface Held {
  rows: ConnectionRow[];
  unreadable: number;
  /** Undefined when the client secret does not open (a key problem): nothing can be revoked. */
  config: ProviderConfig | undefined;
}

/** Reads the rows and opens the provider BEFORE the removal deletes them. Undefined when the host cannot read other users' rows. */
export async function holdTokens(req: CoreRequest, deps: AdminDeps, stored: StoredProvider): Promise<Held | undefined> {
  if (!req.connections.ofProvider) return undefined;
  const { rows, unreadable } = await req.connections.ofProvider(stored.id);
  if (rows.length === 0) return { rows, unreadable, config: undefined };
  try {
    return { rows, unreadable, config: openProvider(stored, deps) };
  } catch (err) {
    deps.logger.warn('provider removal: client secret unreadable, tokens not revoked', { provider: stored.id, error: err });
    return { rows, unreadable, config: undefined };
  }
}

type Outcome = 'revoked' | 'unsupported' | 'failed' | 'moved';

async function revokeRow(deps: AdminDeps, config: ProviderConfig, row: ConnectionRow): Promise<Outcome> {
  if (row.origin !== providerOrigin(config)) return 'moved';
  deps.logger.addSecrets(row.tokens.access_token, row.tokens.refresh_token, row.tokens.id_token);
  const result = await deps.engine.revoke(config, row.tokens);
  if (!result.supported) return 'unsupported';
  return result.revoked ? 'revoked' : 'failed';
}

/** Revokes every held row's tokens (never throws) and tells the admin what happened. */
export async function revokeHeldTokens(req: CoreRequest, deps: AdminDeps, stored: StoredProvider, held: Held): Promise<string> {
  const name = md(stored.display_name);
  const counts: Record<Outcome, number> = { revoked: 0, unsupported: 0, failed: 0, moved: 0 };
  if (held.config) {
    const queue = [...held.rows];
    const worker = async (config: ProviderConfig) => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        counts[await revokeRow(deps, config, row).catch(() => 'failed' as const)] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, queue.length) }, () => worker(held.config!)));
  }
  deps.logger.info('provider removal: tokens revoked', { provider: stored.id, ...counts, unreadable: held.unreadable, opened: held.config !== undefined });
  const parts = [`Removing **${name}**: revoked the tokens of ${counts.revoked} of ${held.rows.length + held.unreadable} users at ${name}.`];
  if (!held.config && held.rows.length > 0) parts.push('Its client secret could not be read, so nothing was sent to it; the tokens were deleted here.');
  if (counts.unsupported > 0) parts.push(`${name} offers no way to revoke tokens (${counts.unsupported} users); they were deleted here.`);
  if (counts.failed > 0) parts.push(`${counts.failed} revocations did not succeed (see the service's log); those tokens were deleted here anyway.`);
  if (counts.moved > 0) parts.push(`${counts.moved} tokens came from another address of the provider and were not sent anywhere.`);
  if (held.unreadable > 0) parts.push(`${held.unreadable} stored tokens could not be read and were deleted here.`);
  return parts.join(' ');
}
