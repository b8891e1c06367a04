/**
 * GET /metrics in the Prometheus text format. It answers only where the
 * configuration serves it: with APP_METRICS_TOKEN, a request must carry
 * `Authorization: Bearer <token>` (compared in constant time, over digests so
 * the length is not told either); on the metrics listener of its own
 * (APP_METRICS_ADDRESS) without a token, the network is the protection.
 * Elsewhere the route does not exist and the app's 404 answers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { Logger } from '../log/logger.js';
import type { ServiceMetrics } from './service_metrics.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** True when the request's bearer token is `token`. */
function bearerMatches(req: Request, token: string): boolean {
  const match = /^Bearer +(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

export interface MetricsRouteOptions {
  metrics: ServiceMetrics;
  logger: Logger;
  /** Undefined: no token asked (the metrics listener of its own, without APP_METRICS_TOKEN). */
  token: string | undefined;
}

export function metricsRoute(options: MetricsRouteOptions): express.Router {
  const router = express.Router();
  router.get('/metrics', (req: Request, res: Response) => {
    if (options.token !== undefined && !bearerMatches(req, options.token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('Unauthorized: /metrics needs the metrics token.\n');
      return;
    }
    options.metrics.exposition().then(
      ({ contentType, text }) => res.status(200).set('Cache-Control', 'no-store').type(contentType).send(text),
      (err: unknown) => {
        options.logger.warn('metrics could not be collected', { error: err });
        res.status(500).type('text/plain').send('The metrics could not be collected.\n');
      },
    );
  });
  return router;
}
