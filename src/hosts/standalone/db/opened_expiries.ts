/**
 * The token expiry of each sealed token set this process opened, kept by its
 * row and sealed text: status and the panel show every connected token's
 * expiry, and opening the sealed value (the binding's HMAC, AES-GCM, the JSON)
 * for it cost more than any other step of a status but the signature check.
 * Only the expiry is kept, never a token. What the process can open does not
 * change while it runs (its keys are its configuration), and a refresh, a
 * reconnect or a key rotation writes a new sealed text, which is opened again;
 * a value that does not open is never kept, so it fails again at each read.
 * Bounded: past `max` the oldest goes.
 */
import type { ConnectionRead } from './connection_queries.js';

export const EXPIRIES_KEPT = 1000;

type Sealed = Pick<ConnectionRead, 'user_id' | 'provider_id' | 'origin' | 'tokens'>;

export function openedExpiries(max = EXPIRIES_KEPT) {
  const kept = new Map<string, number | null>();
  return {
    /** The expiry of `row`'s tokens: kept, or `open` it (which throws as opening does) and keep the answer. */
    async of(row: Sealed, open: () => Promise<number | undefined>): Promise<number | undefined> {
      // The binding's fields and the text: the same text read for another row opens again (and fails there).
      const key = `${row.user_id}\0${row.provider_id}\0${row.origin}\0${row.tokens}`;
      const found = kept.get(key);
      if (found !== undefined) return found ?? undefined;
      const expiry = await open();
      if (kept.size >= max) kept.delete(kept.keys().next().value as string);
      kept.set(key, expiry ?? null);
      return expiry;
    },
    get size() {
      return kept.size;
    },
  };
}
