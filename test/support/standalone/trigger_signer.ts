/**
 * Trigger ids as a Mattermost server makes them: base64 of
 * `clientId:userId:millis:` + base64(DER ECDSA P-256 signature over SHA-256 of
 * that text), under a key of the signer's own. The fake Mattermost serves the
 * public half as AsymmetricSigningPublicKey, as a real server does.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

export interface TriggerSigner {
  /** base64 of the PKIX DER public key (the client configuration's AsymmetricSigningPublicKey). */
  publicKeyBase64: string;
  /** A trigger id for the user, signed at `at` (default: now). */
  sign(userId: string, at?: number): string;
}

export function signTrigger(privateKey: KeyObject, userId: string, at: number, clientId = randomBytes(16).toString('hex').slice(0, 26)): string {
  const text = `${clientId}:${userId}:${at}:`;
  const signature = sign('sha256', Buffer.from(text), { key: privateKey, dsaEncoding: 'der' }).toString('base64');
  return Buffer.from(text + signature).toString('base64');
}

export function createTriggerSigner(): TriggerSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  // Mutable, so a test can play a server whose key was replaced or cannot be read.
  return {
    publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    sign: (userId, at = Date.now()) => signTrigger(privateKey, userId, at),
  };
}
