/**
 * The token sets this process opened lately, by their sealed text and the
 * row they were opened for. The token endpoint and the commands read the same
 * row again and again, and a row's sealed text changes with every write (a
 * fresh nonce each seal), so a text opened before for the same row holds the
 * same plaintext: opening it again (AES-GCM and the binding's tag) was the
 * largest piece of a token request after the HTTP work. The row's binding is
 * part of the key, so a sealed text copied into another row is opened (and
 * refused) as before. Only what opened under the current key is kept (a stale
 * value is resealed, and its new text opened when read). The plaintext was in
 * the process already: the logger holds every token it was given to redact.
 */
import type { TokenSet } from '@oauth2-connect/engine';
import type { SealBinding } from './bound_sealer.js';

export const OPENED_TOKENS_KEPT = 1000;

const keyOf = (sealed: string, binding: SealBinding) => `${binding.user_id ?? ''}\0${binding.provider_id ?? ''}\0${binding.origin ?? ''}\0${sealed}`;

export class OpenedTokens {
  private readonly kept = new Map<string, Readonly<TokenSet>>();

  constructor(private readonly max = OPENED_TOKENS_KEPT) {}

  get(sealed: string, binding: SealBinding): Readonly<TokenSet> | undefined {
    return this.kept.get(keyOf(sealed, binding));
  }

  /** Frozen: every later read of the row shares it. */
  keep(sealed: string, binding: SealBinding, tokens: TokenSet): Readonly<TokenSet> {
    const frozen = Object.freeze(tokens);
    if (this.kept.size >= this.max) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(keyOf(sealed, binding), frozen);
    return frozen;
  }
}
