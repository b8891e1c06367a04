/**
 * Adapts express to handlers: parses the body into a CallRequest, runs the
 * handler for the path, maps errors, and writes one log line per call.
 */
import type { Request, RequestHandler, Response } from 'express';
import { performance } from 'node:perf_hooks';
import type { CallResponse } from '../apps/types.js';
import { error } from '../apps/responses.js';
import type { Deps, Handler } from '../calls/deps.js';
import { mapError } from '../calls/error_mapper.js';
import { parseCallRequest } from './parse_call.js';
import type { VerifiedCaller } from './jwt.js';

function safePath(path: string): string {
  return path.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

export function callRoute(deps: Deps, routes: ReadonlyMap<string, Handler>): RequestHandler {
  return async (req: Request, res: Response) => {
    const started = performance.now();
    const path = req.path;
    let response: CallResponse;
    let outcome: string;
    let extra: Record<string, unknown> = {};
    let userId: string | undefined;
    try {
      const call = parseCallRequest(req.body, path);
      userId = call.context.acting_user?.id;
      const caller = res.locals.caller as VerifiedCaller;
      if (caller.actingUserId && userId && caller.actingUserId !== userId) {
        deps.logger.warn('call refused', { path: safePath(path), outcome: 'unauthorized', reason: 'acting user differs from the JWT' });
        res.status(401).json(error('Unauthorized: the acting user does not match the signed caller.'));
        return;
      }
      const handler = routes.get(path);
      response = handler ? await handler(call, deps) : error(`Unknown call path "${safePath(path)}".`);
      outcome = handler ? response.type : 'unknown_path';
    } catch (err) {
      const mapped = mapError(err);
      response = mapped.response;
      outcome = mapped.code;
      extra = mapped.log;
    }
    res.status(200).json(response);
    const level = outcome === 'internal_error' ? 'error' : 'info';
    deps.logger[level]('call', { path: safePath(path), user_id: userId, duration_ms: Math.round((performance.now() - started) * 100) / 100, outcome, ...extra });
  };
}
