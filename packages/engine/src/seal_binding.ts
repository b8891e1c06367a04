/**
 * Where a sealed value belongs: its kind, the App, the provider, the
 * Mattermost user and (for tokens) the provider's origin. The binding is
 * authenticated with the ciphertext (AES-GCM additional data), so a value
 * copied into another slot fails to open instead of being used there.
 */
import { createHmac } from 'node:crypto';

export interface SealBinding {
  kind: 'token' | 'client_secret' | 'setting';
  provider_id?: string;
  /** The Mattermost user id (tokens). */
  user_id?: string;
  /** The origins the provider's tokens and secret are sent to (its issuer and typed endpoints), from providerOrigin(). */
  origin?: string;
  /** Extra scope, e.g. the App id or a setting's name. */
  scope?: string;
}

/** Token and client-secret bindings must name their owner; anything else could be swapped between slots. */
export function bindingProblem(binding: SealBinding): string | undefined {
  if (binding.kind === 'token' && (!binding.user_id || !binding.provider_id)) return 'A token must be sealed for a user and a provider.';
  if (binding.kind === 'client_secret' && !binding.provider_id) return 'A client secret must be sealed for a provider.';
  return undefined;
}

/** One unambiguous text for the binding (JSON array: no field can spill into the next). */
export function canonicalBinding(binding: SealBinding): string {
  return JSON.stringify(['oauth2-connect/seal/v2', binding.kind, binding.scope ?? '', binding.provider_id ?? '', binding.user_id ?? '', binding.origin ?? '']);
}

/** Per sealing key: the tag key derived from it and its key check (each open would otherwise compute both again). */
const derived = new WeakMap<Buffer, { tagKey: Buffer; keyCheck: string }>();

function derivedFrom(key: Buffer): { tagKey: Buffer; keyCheck: string } {
  let found = derived.get(key);
  if (!found) {
    const tagKey = createHmac('sha256', key).update('oauth2-connect seal binding tag').digest();
    found = { tagKey, keyCheck: createHmac('sha256', tagKey).update('key check').digest('base64url').slice(0, 6) };
    derived.set(key, found);
  }
  return found;
}

/**
 * A short keyed tag stored beside the ciphertext: 6 characters that check the
 * key, then 16 of the binding. It lets open() tell "sealed with another key"
 * from "sealed for another slot" without revealing the binding (both are
 * HMACs under a key derived from the sealing key).
 */
export function bindingTag(key: Buffer, canonical: string): string {
  const { tagKey, keyCheck } = derivedFrom(key);
  return `${keyCheck}${createHmac('sha256', tagKey).update(canonical).digest('base64url').slice(0, 16)}`;
}

/** True when `tag` was made with `key` (whatever the binding). */
export function sameKey(key: Buffer, tag: string): boolean {
  return derivedFrom(key).keyCheck === tag.slice(0, 6);
}
