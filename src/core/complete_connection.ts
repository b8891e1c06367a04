/**
 * After the engine completed a provider's flow (state, iss, code exchange,
 * id_token): a reconnect must return the same account, then the connection is
 * saved with the origin that issued its tokens and the user gets a DM.
 */
import { providerOrigin, type CompletedAuthorization, type ProviderConfig } from '@oauth2-connect/engine';
import { UserFacingError } from './errors.js';
import { md } from './format.js';
import type { StoredProvider } from './provider_records.js';
import type { Connection } from './record_schemas.js';
import type { CoreDeps, CoreRequest } from './request.js';

export function differentAccount(stored: StoredProvider, done: CompletedAuthorization, existing: Connection): string {
  return (
    `You signed in to ${md(stored.display_name)} as **${md(done.account.label)}**, but this Mattermost account is connected as **${md(existing.label)}**. ` +
    `Nothing was changed. To switch accounts, run \`/oauth2 disconnect ${stored.id}\` first.`
  );
}

export async function completeConnection(
  req: CoreRequest,
  deps: Pick<CoreDeps, 'now'>,
  stored: StoredProvider,
  config: ProviderConfig,
  done: CompletedAuthorization,
): Promise<Connection> {
  const userId = req.user.id;
  const connection: Connection = {
    label: done.account.label,
    sub: done.account.sub,
    since: deps.now(),
    ...(done.tokens.expires_at !== undefined && { expires_at: done.tokens.expires_at }),
  };
  // Check and save under the connection's lock: two completes (or a complete and a disconnect) of one
  // user at the same instant, on two replicas, then run one after the other and the check sees the first.
  await req.connections.withLock(userId, stored.id, async () => {
    const existing = (await req.connections.summaries(userId))[stored.id];
    if (existing && existing.sub !== done.account.sub) throw new UserFacingError(differentAccount(stored, done, existing));
    await req.connections.save({ user_id: userId, provider_id: stored.id, connection, tokens: done.tokens, origin: providerOrigin(config) });
  });
  await req.host.notify(userId, `You connected your ${md(stored.display_name)} account **${md(connection.label)}**.`);
  return connection;
}
