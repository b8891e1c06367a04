/**
 * The Apps host's HTTP side (no listen): the express app with the manifest,
 * the icon and every call path, and the listener that answers the calls it
 * can ahead of express (call_listener.ts) and hands the rest to the app.
 * Order matters: the JWT is checked before the body is even parsed, so a
 * failed check answers 401 and no handler runs.
 */
import type { RequestListener } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { fileURLToPath } from 'node:url';
import { buildManifest, ICON } from '../protocol/manifest.js';
import type { Deps, Handler } from '../calls/deps.js';
import { JWT_HEADER } from './jwt.js';
import { callListener } from './call_listener.js';
import { callServing, surfaceOfCall, type BodyRefusal, type CallServing } from './call_serving.js';
import { error } from '../protocol/responses.js';
import { countRequests } from '../../../metrics/request_counter.js';

const STATIC_DIR = fileURLToPath(new URL('../../../../static/', import.meta.url));

const BODY_PARSER_REFUSAL: Record<string, BodyRefusal> = { 'entity.too.large': 'too_large', 'entity.parse.failed': 'not_json' };

function createHttpApp(deps: Deps, serving: CallServing): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(countRequests(deps.metrics, 'apps', (req) => surfaceOfCall(req.method, req.path)));
  // On a listener of its own the Apps host is reached at that listener's URL, not the service's.
  const rootUrl = deps.config.appsListener?.rootUrl ?? deps.config.rootUrl;
  const manifest = JSON.stringify(buildManifest(rootUrl, deps.config.jwtSecret !== undefined));

  app.get('/manifest.json', (_req, res) => {
    res.type('application/json').send(manifest);
  });
  app.get(`/static/${ICON}`, (_req, res) => {
    res.sendFile(ICON, { root: STATIC_DIR, maxAge: '1d' });
  });

  const parseBody = express.json({ limit: deps.config.bodyLimitBytes, strict: false, type: () => true });
  // Every POST in one middleware (JWT, body, call) rather than three router
  // layers: the router's passes were a good part of the App's CPU per call.
  // app.use, not a route: it runs before express decodes the path, so even an
  // undecodable path is refused with 401 when the JWT does not verify.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    const caller = serving.callerOf(req.get(JWT_HEADER), req.path, res);
    if (!caller) return;
    // A throw in the handler goes to the error answer below, as express does for routes.
    parseBody(req, res, (err?: unknown) => {
      if (err) return next(err);
      Promise.resolve(serving.answer(req.body, req.path, caller, res)).catch(next);
    });
  });

  app.use((err: { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    serving.refuseBody(req.path, BODY_PARSER_REFUSAL[err.type ?? ''] ?? 'unreadable', res);
  });
  app.use((_req, res) => {
    res.status(404).json(error('Not found.'));
  });
  return app;
}

export interface AppsHttp {
  /** The express app: every path of the Apps host. */
  app: express.Express;
  /** What a listener serves of the Apps host alone: the calls call_listener.ts answers ahead of express, the rest by the app. */
  listener: RequestListener;
  /** The same calls answered ahead of `rest`, which serves everything else (an app that mounts this one among others). */
  servedAhead(rest: RequestListener): RequestListener;
}

export function appsHttp(deps: Deps, routes: ReadonlyMap<string, Handler>): AppsHttp {
  const serving = callServing(deps, routes);
  const app = createHttpApp(deps, serving);
  const servedAhead = (rest: RequestListener) => callListener(deps, routes, serving, rest);
  return { app, listener: servedAhead(app), servedAhead };
}
