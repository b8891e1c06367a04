/**
 * Opening what the App sealed, as someone holding its key would: each value
 * opens only for its slot, so the slot is computed from the stored providers.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import type { SecretSealer } from '../../src/core/secret_sealer.js';
import { tokenSlot } from '../../src/core/seal_slots.js';
import type { TokenSet } from '../../packages/engine/src/types.js';
import { findProvider } from '../../src/core/provider_records.js';

/** The user's token set at `providerId`, read from a sealed record; throws when it is not for that slot. */
export function openTokens(sealer: SecretSealer, providersData: unknown, userId: string, providerId: string, sealed: string): TokenSet {
  const stored = findProvider(providersData, providerId);
  if (!stored) throw new Error(`no stored provider ${providerId}`);
  return JSON.parse(sealer.open(sealed, tokenSlot(userId, stored)).plaintext) as TokenSet;
}

/** A value in the first, unbound sealed format ("v1.<key id>.<iv>.<data>"), as the App wrote it before bindings. */
export function sealV1(keyId: string, key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`v1.${keyId}`));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${keyId}.${iv.toString('base64url')}.${data.toString('base64url')}`;
}
