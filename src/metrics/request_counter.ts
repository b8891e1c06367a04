/**
 * Counts each request once it is answered, by host, surface and outcome. A
 * route that knows better than the status code (a command that failed inside
 * an HTTP 200, a forgery refused) says so in res.locals (markRequest); the
 * status code decides the rest.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { HostLabel, RequestOutcome, ServiceMetrics, Surface } from './service_metrics.js';

interface Marked {
  metricsSurface?: Surface;
  metricsOutcome?: RequestOutcome;
}

/**
 * What the route learnt: the surface it served, and the outcome when the status code does not tell it.
 * The first outcome marked stays: the place that refuses knows more than a general handler after it.
 */
export function markRequest(res: Response, mark: { surface?: Surface; outcome?: RequestOutcome }): void {
  const locals = res.locals as Marked;
  if (mark.surface) locals.metricsSurface = mark.surface;
  if (mark.outcome) locals.metricsOutcome ??= mark.outcome;
}

function outcomeOfStatus(status: number): RequestOutcome {
  if (status >= 500) return 'failed';
  if (status === 401 || status === 403) return 'refused';
  return status >= 400 ? 'user_error' : 'ok';
}

/** `surfaceOf` names the surface from the path when the route did not mark it. */
export function countRequests(metrics: ServiceMetrics | undefined, host: HostLabel, surfaceOf: (req: Request) => Surface): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (metrics) {
      // Read before the routers strip their mount path from req.path.
      const surface = surfaceOf(req);
      res.once('finish', () => {
        const locals = res.locals as Marked;
        metrics.request(host, locals.metricsSurface ?? surface, locals.metricsOutcome ?? outcomeOfStatus(res.statusCode));
      });
    }
    next();
  };
}
