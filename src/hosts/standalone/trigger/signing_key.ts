/**
 * Mattermost's public signing key (P-256), read from the limited client
 * configuration that every client may read without a session:
 * GET /api/v4/config/client?format=old, field AsymmetricSigningPublicKey
 * (base64 of the PKIX DER key). Fetched at start, kept, and fetched again when
 * a signature does not verify (the server's key may have changed), at most
 * once a minute so forged requests cannot make the service hammer Mattermost.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { SigningKeySource } from '../deps.js';

export interface SigningKeyOptions {
  /** APP_MATTERMOST_URL: the only place the key is read from. */
  mattermostUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  now(): number;
  /** Told why a fetch failed (never a secret: the key is public). */
  onFailure(reason: string): void;
  minRefetchMs?: number;
}

const UNREAD_RETRY_MS = 5_000;

export const CLIENT_CONFIG_PATH = '/api/v4/config/client?format=old';

/** The P-256 key from its base64 PKIX DER form; throws a readable error otherwise. */
export function publicKeyFromBase64(encoded: string): KeyObject {
  const key = createPublicKey({ key: Buffer.from(encoded, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('the signing key is not an ECDSA P-256 key');
  return key;
}

async function readKey(options: SigningKeyOptions): Promise<KeyObject> {
  const res = await options.fetch(`${options.mattermostUrl}${CLIENT_CONFIG_PATH}`, { signal: AbortSignal.timeout(options.timeoutMs) });
  if (!res.ok) throw new Error(`Mattermost answered HTTP ${res.status} for its client configuration`);
  const config = (await res.json()) as { AsymmetricSigningPublicKey?: unknown };
  const encoded = config.AsymmetricSigningPublicKey;
  if (typeof encoded !== 'string' || encoded === '') throw new Error('the client configuration has no AsymmetricSigningPublicKey');
  return publicKeyFromBase64(encoded);
}

export function createSigningKeySource(options: SigningKeyOptions): SigningKeySource {
  const minRefetchMs = options.minRefetchMs ?? 60_000;
  let kept: KeyObject | undefined;
  let lastFetch = -Infinity;
  let inFlight: Promise<KeyObject | undefined> | undefined;
  // One fetch at a time: concurrent commands share it.
  const fetchOnce = (): Promise<KeyObject | undefined> => {
    inFlight ??= (async () => {
      lastFetch = options.now();
      try {
        kept = await readKey(options);
      } catch (err) {
        options.onFailure((err as Error).message);
      } finally {
        inFlight = undefined;
      }
      return kept;
    })();
    return inFlight;
  };
  return {
    // Without a key yet: wait for a read under way (commands right after start), else try again every few seconds
    // (Mattermost down at start) rather than once a minute.
    current: async () => kept ?? inFlight ?? (options.now() - lastFetch >= UNREAD_RETRY_MS ? fetchOnce() : undefined),
    refetch: async () => (options.now() - lastFetch >= minRefetchMs ? fetchOnce() : kept),
  };
}
