/**
 * What every handler gets besides the request. Handlers are
 * `(request, deps) => Promise<CallResponse>`: no `res`, no try/catch; guards
 * wrap them and one error mapper turns thrown errors into a response.
 */
import type { CallRequest, CallResponse } from '../protocol/types.js';
import type { Config } from '../../../config/index.js';
import type { ReportIndex } from '../store/report_index.js';
import type { CoreDeps } from '../../../core/request.js';
import type { ServiceMetrics } from '../../../metrics/service_metrics.js';

/** Built once at start; the core's operations are given it as their CoreDeps (they read its settings, logger, engine, sealer and clock). */
export interface Deps extends CoreDeps {
  config: Readonly<Config>;
  /** Derives a flow's PKCE verifier and nonce from its state (nothing stored). */
  flowSecrets(state: string): { code_verifier: string; nonce: string };
  /** Outbound HTTP to Mattermost. */
  fetch: typeof fetch;
  reportIndex: ReportIndex;
  /** The service's metrics: each call is counted by surface and outcome. */
  metrics?: ServiceMetrics;
}

export type Handler = (request: CallRequest, deps: Deps) => Promise<CallResponse>;
