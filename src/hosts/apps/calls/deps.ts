/**
 * What every handler gets besides the request. Handlers are
 * `(request, deps) => Promise<CallResponse>`: no `res`, no try/catch; guards
 * wrap them and one error mapper turns thrown errors into a response.
 */
import type { CallRequest, CallResponse } from '../protocol/types.js';
import type { Config } from '../../../config/index.js';
import type { ReportIndex } from '../store/report_index.js';
import type { CoreDeps } from '../../../core/request.js';
import type { MoveTarget } from '../../../core/apps_move/ports.js';

/** Copies each user's connections to the standalone host after their calls (move/user_copier.ts). */
export interface UserCopies {
  /** After a call has been answered: starts this user's copy when it is due; never throws, never waits. */
  afterCall(call: CallRequest): void;
  /** The user's connections changed on this host: their copy is made again on their next call. */
  changed(userId: string): void;
  /** Resolves once no copy is running (shutdown, tests). */
  idle(): Promise<void>;
}
import type { ServiceMetrics } from '../../../metrics/service_metrics.js';

/** Built once at start; the core's operations are given it as their CoreDeps (they read its settings, logger, engine, sealer and clock). */
export interface Deps extends CoreDeps {
  config: Readonly<Config>;
  /** Derives a flow's PKCE verifier and nonce from its state (nothing stored). */
  flowSecrets(state: string): { code_verifier: string; nonce: string };
  /** Outbound HTTP to Mattermost. */
  fetch: typeof fetch;
  reportIndex: ReportIndex;
  /** The standalone host's storage when it runs in this process: where the move to it copies (core/apps_move). */
  moveTarget?: MoveTarget;
  userCopies?: UserCopies;
  /** The service's metrics: each call is counted by surface and outcome. */
  metrics?: ServiceMetrics;
}

export type Handler = (request: CallRequest, deps: Deps) => Promise<CallResponse>;
