/**
 * A call's answer from its parsed body: parses it into a CallRequest, checks
 * the caller, runs the handler for the path, maps errors, writes the answer
 * and one log line per call. The express app (app.ts) and the listener that
 * serves calls ahead of it (call_listener.ts) both answer through it.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CallRequest, CallResponse } from '../protocol/types.js';
import { error, serializedText } from '../protocol/responses.js';
import type { Deps, Handler } from '../calls/deps.js';
import { mapError } from '../calls/error_mapper.js';
import { parseCallRequest } from './parse_call.js';
import type { VerifiedCaller } from './jwt.js';
import { checkCaller } from './caller_checks.js';
import type { RateLimitedLog } from '../../../log/rate_limited.js';
import { markRequest } from '../../../metrics/request_counter.js';
import { sendJson, sendJsonText } from '../../../util/json_answer.js';
import type { RequestOutcome } from '../../../metrics/service_metrics.js';

/** A call's logged outcome (its response type, or the error's code) as the metrics count it. */
const countedOutcome = (outcome: string): RequestOutcome =>
  outcome === 'internal_error' || outcome === 'mattermost_error'
    ? 'failed'
    : outcome === 'ok' || outcome === 'form' || outcome === 'navigate'
      ? 'ok'
      : 'user_error';

function safePath(path: string): string {
  return path.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

/** Answers the call with `body` (as JSON.parse gave it) at `path` from the JWT's `caller`. */
export type CallAnswer = (body: unknown, path: string, caller: VerifiedCaller, res: ServerResponse) => Promise<void>;

export function answerCall(deps: Deps, routes: ReadonlyMap<string, Handler>, refusedLog: RateLimitedLog = deps.logger.warn): CallAnswer {
  return async (body, path, caller, res) => {
    const started = performance.now();
    let response: CallResponse;
    let outcome: string;
    let extra: Record<string, unknown> = {};
    let userId: string | undefined;
    // Set once the call passed its caller checks: the user's copy to the standalone host may follow it.
    let admitted: CallRequest | undefined;
    try {
      const call = parseCallRequest(body, path);
      userId = call.context.acting_user?.id;
      const refusal = checkCaller(call, caller, deps.config.jwtSecret !== undefined, deps.config);
      if (refusal) {
        refusedLog('call refused', { path: safePath(path), outcome: refusal.status === 401 ? 'unauthorized' : 'refused', reason: refusal.reason });
        markRequest(res, { outcome: 'refused' });
        sendJson(res, refusal.status, error(refusal.text));
        return;
      }
      userId = call.context.acting_user?.id;
      admitted = call;
      const handler = routes.get(path);
      response = handler ? await handler(call, deps) : error(`Unknown call path "${safePath(path)}".`);
      outcome = handler ? response.type : 'unknown_path';
    } catch (err) {
      const mapped = mapError(err);
      response = mapped.response;
      outcome = mapped.code;
      extra = mapped.log;
    }
    markRequest(res, { outcome: countedOutcome(outcome) });
    sendJsonText(res, 200, serializedText(response) ?? JSON.stringify(response));
    if (admitted) deps.userCopies?.afterCall(admitted);
    const level = outcome === 'internal_error' ? 'error' : 'info';
    deps.logger[level]('call', {
      path: safePath(path),
      user_id: userId,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      outcome,
      ...extra,
    });
  };
}
