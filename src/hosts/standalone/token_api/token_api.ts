/**
 * The token API's parts the standalone host is given (service/host.ts builds
 * them): the clients and grants, the consent buttons' key, the per-client
 * rate limits (shared by the replicas on PostgreSQL), the spaced-out record of each use, and the token endpoint's
 * one-statement read where the storage has it.
 */
import type { TokenClientStore } from '../../../core/token_api/types.js';
import type { Logger } from '../../../log/logger.js';
import type { TokenApi } from '../deps.js';
import type { RateWindowClaims, TokenIssuanceReader } from '../ports.js';
import { ClientRateLimiter } from './rate_limit.js';
import { SharedRateLimiter } from './shared_rate_limit.js';

export type { TokenApi };

/** A client's and a grant's last use is written at most this often per process (the report shows minutes, not requests). */
export const USE_RECORD_SPACING_MS = 60_000;
const MAX_REMEMBERED_USES = 10_000;

export function createTokenApi(
  clients: TokenClientStore,
  consentKey: Buffer,
  logger: Pick<Logger, 'warn'>,
  now: () => number,
  issuance?: TokenIssuanceReader,
  /** The replicas' shared counts (PostgreSQL); without them the process's buckets are the whole limit (SQLite: one process). */
  rateWindows?: RateWindowClaims,
): TokenApi {
  const written = new Map<string, number>();
  return {
    clients,
    consentKey,
    ...(issuance && { issuance }),
    limiter: rateWindows ? new SharedRateLimiter(rateWindows) : new ClientRateLimiter(),
    recordUse(clientId, userId, providerId) {
      const key = `${clientId}\0${userId}\0${providerId}`;
      const at = now();
      const last = written.get(key);
      if (last !== undefined && at - last < USE_RECORD_SPACING_MS) return;
      written.delete(key);
      written.set(key, at);
      if (written.size > MAX_REMEMBERED_USES) written.delete(written.keys().next().value as string);
      clients.touch(clientId, userId, providerId, at).catch((err: unknown) => logger.warn('recording a token use failed', { client: clientId, error: err }));
    },
  };
}
