/**
 * The encryption keys' part of the configuration: the current key (or, when
 * none is set, where start-up keeps a development key) and the older keys
 * whose tokens are re-encrypted when read.
 */
import { z } from 'zod';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;
const KEY_ID_RULE = 'key ids are 1-16 characters of letters, digits, - and _';
const KEY_RULE = 'must be 32 bytes encoded in base64 (openssl rand -base64 32)';

/** The id given to the key start-up generates when APP_ENCRYPTION_KEY is not set. */
export const DEVELOPMENT_KEY_ID = 'dev';

export const keyId = z.string().regex(KEY_ID, { error: `must be 1-16 characters of letters, digits, - and _` });

/** 32 bytes in base64; the message never repeats the value. */
export function keyMaterial(material: string): Buffer | undefined {
  const key = Buffer.from(material, 'base64');
  return key.length === 32 ? key : undefined;
}

export const currentKey = z.string().transform((material, ctx) => {
  const key = keyMaterial(material);
  if (key) return key;
  ctx.addIssue({ code: 'custom', message: KEY_RULE, input: '' });
  return z.NEVER;
});

/** Older keys as "id:base64,id:base64". */
export const previousKeys = z.string().transform((raw, ctx): EncryptionKey[] => {
  const keys: EncryptionKey[] = [];
  for (const entry of raw.split(',')) {
    const [id, material, extra] = entry.trim().split(':');
    const problem = !id || !material || extra !== undefined ? 'must be a list of id:base64key separated by commas' : !KEY_ID.test(id) ? KEY_ID_RULE : undefined;
    const key = problem ? undefined : keyMaterial(material!);
    if (!key) {
      ctx.addIssue({ code: 'custom', message: problem ?? KEY_RULE, input: '' });
      return z.NEVER;
    }
    keys.push({ id: id!, key });
  }
  return keys;
});
