/**
 * What every handler gets besides the request. Handlers are
 * `(request, deps) => Promise<CallResponse>`: no `res`, no try/catch; guards
 * wrap them and one error mapper turns thrown errors into a response.
 */
import type { CallRequest, CallResponse } from '../protocol/types.js';
import type { Config } from '../../../config.js';
import type { Logger } from '../../../log/logger.js';
import type { OAuthEngine } from '../../../oauth/types.js';
import type { ReportIndex } from '../store/report_index.js';
import type { SecretSealer } from '../../../core/secret_sealer.js';

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
