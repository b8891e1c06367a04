/**
 * Counts each request once it is answered, by host, surface and outcome. A
 * route that knows better than the status code (a command that failed inside
 * an HTTP 200, a forgery refused) says so (markRequest); the status code
 * decides the rest. Works on node's plain response, so a route served ahead
 * of express (the standalone command route) is counted like the others.
 */
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { HostLabel, RequestOutcome, ServiceMetrics, Surface } from './service_metrics.js';

interface Marked {
  counted?: boolean;
  surface?: Surface;
  outcome?: RequestOutcome;
}

const marks = new WeakMap<ServerResponse, Marked>();

function marked(res: ServerResponse): Marked {
  let mark = marks.get(res);
  if (!mark) marks.set(res, (mark = {}));
  return mark;
}

/**
 * What the route learnt: the surface it served, and the outcome when the status code does not tell it.
 * The first outcome marked stays: the place that refuses knows more than a general handler after it.
 */
export function markRequest(res: ServerResponse, mark: { surface?: Surface; outcome?: RequestOutcome }): void {
  const known = marked(res);
  if (mark.surface) known.surface = mark.surface;
  if (mark.outcome) known.outcome ??= mark.outcome;
}

function outcomeOfStatus(status: number): RequestOutcome {
  if (status >= 500) return 'failed';
  if (status === 401 || status === 403) return 'refused';
  return status >= 400 ? 'user_error' : 'ok';
}

/** Counts this response once it is sent (once, however many layers ask). */
export function countResponse(metrics: ServiceMetrics | undefined, host: HostLabel, res: ServerResponse, surface: Surface): void {
  if (!metrics) return;
  const known = marked(res);
  if (known.counted) return;
  known.counted = true;
  res.once('finish', () => metrics.request(host, known.surface ?? surface, known.outcome ?? outcomeOfStatus(res.statusCode)));
}

/** `surfaceOf` names the surface from the path when the route did not mark it. */
export function countRequests(metrics: ServiceMetrics | undefined, host: HostLabel, surfaceOf: (req: Request) => Surface): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    // Read before the routers strip their mount path from req.path.
    countResponse(metrics, host, res, surfaceOf(req));
    next();
  };
}
