/**
 * Copying the Apps host's providers into the standalone host's storage: each
 * client secret is opened with the Apps host's sealer and sealed again with
 * the standalone host's, for the same provider and origin. A second run finds
 * them copied; a provider changed on the Apps host since is updated. A
 * provider the standalone host already has at another origin is left alone:
 * its secret and its users' tokens belong to that origin.
 */
import { md } from '../format.js';
import type { StoredProvider } from '../provider_records.js';
import { openProvider, type OpenDeps } from '../providers.js';
import { clientSecretSlot, storedOrigin } from '../seal_slots.js';
import type { MoveTarget } from './ports.js';

export type ProviderOutcome = 'copied' | 'updated' | 'already copied' | 'other origin';

export interface ProviderCopy {
  provider: StoredProvider;
  outcome: ProviderOutcome;
}

/** The record without what sealing and saving change: two records equal here describe the same registration. */
function settingsOf(p: StoredProvider): string {
  const { sealed_secret: _secret, updated_at: _updated, created_at: _created, ...rest } = p;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
}

/** The Apps record with its secret sealed by the target's sealer. */
function resealed(p: StoredProvider, from: OpenDeps, target: MoveTarget): { record: StoredProvider; secret: string | undefined } {
  const config = openProvider(p, from);
  const { sealed_secret: _sealed, ...rest } = p;
  const secret = config.client_secret;
  return { record: { ...rest, ...(secret !== undefined && { sealed_secret: target.sealer.seal(secret, clientSecretSlot(config)) }) }, secret };
}

function sameSecret(existing: StoredProvider, secret: string | undefined, target: MoveTarget, logger: OpenDeps['logger']): boolean {
  try {
    return openProvider(existing, { sealer: target.sealer, logger }).client_secret === secret;
  } catch {
    // A secret that no longer opens here is replaced.
    return false;
  }
}

export async function copyProvider(p: StoredProvider, from: OpenDeps, target: MoveTarget): Promise<ProviderCopy> {
  const existing = await target.providers.get(p.id);
  if (existing && storedOrigin(existing) !== storedOrigin(p)) return { provider: p, outcome: 'other origin' };
  const { record, secret } = resealed(p, from, target);
  if (existing && settingsOf(existing) === settingsOf(p) && sameSecret(existing, secret, target, from.logger))
    return { provider: p, outcome: 'already copied' };
  await target.providers.save(record);
  return { provider: p, outcome: existing ? 'updated' : 'copied' };
}

const OUTCOME_TEXT: Record<ProviderOutcome, string> = {
  copied: 'copied',
  updated: 'updated (it had changed on the Apps host since the last copy)',
  'already copied': 'already copied, unchanged',
  'other origin':
    'not copied: the standalone host has a provider with this short name at another address. Remove one of the two, or give one another short name, then run this again',
};

export const providerCopyLine = ({ provider, outcome }: ProviderCopy): string =>
  `- **${md(provider.display_name)}** (\`${provider.id}\`): ${OUTCOME_TEXT[outcome]}.`;
