/**
 * Adapts express to handlers: parses the body into a CallRequest, runs the
 * handler for the path, maps errors, and writes one log line per call.
 */
import type { Request, RequestHandler, Response } from 'express';
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

export function callRoute(deps: Deps, routes: ReadonlyMap<string, Handler>, refusedLog: RateLimitedLog = deps.logger.warn): RequestHandler {
  return async (req: Request, res: Response) => {
    const started = performance.now();
    const path = req.path;
    let response: CallResponse;
    let outcome: string;
    let extra: Record<string, unknown> = {};
    let userId: string | undefined;
    // Set once the call passed its caller checks: the user's copy to the standalone host may follow it.
    let admitted: CallRequest | undefined;
    try {
      const call = parseCallRequest(req.body, path);
      userId = call.context.acting_user?.id;
      const refusal = checkCaller(call, res.locals.caller as VerifiedCaller, deps.config.jwtSecret !== undefined, deps.config);
      if (refusal) {
        refusedLog('call refused', { path: safePath(path), outcome: refusal.status === 401 ? 'unauthorized' : 'refused', reason: refusal.reason });
        markRequest(res, { outcome: 'refused' });
        res.status(refusal.status).json(error(refusal.text));
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
    const text = serializedText(response);
    // 200, the default; the same content type either way.
    if (text === undefined) res.json(response);
    else res.type('application/json').send(text);
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
