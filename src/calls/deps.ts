/**
 * What every handler gets besides the request. Handlers are
 * `(request, deps) => Promise<CallResponse>`: no `res`, no try/catch; guards
 * wrap them and one error mapper turns thrown errors into a response.
 */
import type { CallRequest, CallResponse } from '../apps/types.js';
import type { Config } from '../config.js';
import type { Logger } from '../log/logger.js';
import type { SealBinding } from '../oauth/crypto.js';
import type { OAuthEngine } from '../oauth/types.js';
import type { ReportIndex } from '../store/report_index.js';

/**
 * Seals secrets at rest (AES-256-GCM, key id beside the ciphertext), bound to
 * the slot they belong to: a value opens only with the binding it was sealed with.
 */
export interface SecretSealer {
  seal(plaintext: string, binding: SealBinding): string;
  /** stale: sealed with an older key or the older unbound format, so the caller re-seals it. */
  open(sealed: string, binding: SealBinding): { plaintext: string; stale: boolean };
}

export interface Deps {
  config: Readonly<Config>;
  logger: Logger;
  engine: OAuthEngine;
  sealer: SecretSealer;
  /** Derives a flow's PKCE verifier and nonce from its state (nothing stored). */
  flowSecrets(state: string): { code_verifier: string; nonce: string };
  /** Outbound HTTP to Mattermost. */
  fetch: typeof fetch;
  now(): number;
  reportIndex: ReportIndex;
}

export type Handler = (request: CallRequest, deps: Deps) => Promise<CallResponse>;
