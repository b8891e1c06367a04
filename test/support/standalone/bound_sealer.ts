/** The project's real bound cipher (AES-256-GCM, binding authenticated) with one test key. */
import { createTokenCipher } from '../../../packages/engine/src/crypto.js';
import type { BoundSealer } from '../../../src/hosts/standalone/db/index.js';

export function createTestSealer(key: Buffer): BoundSealer {
  return createTokenCipher({ keys: [{ id: 'test', key }], currentKeyId: 'test' });
}
