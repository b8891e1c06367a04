/**
 * The express app (no listen): the manifest, the icon, and every call path.
 * Order matters: the JWT is checked before the body is even parsed, so a
 * failed check answers 401 and no handler runs.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { fileURLToPath } from 'node:url';
import { buildManifest, ICON } from '../protocol/manifest.js';
import type { Deps, Handler } from '../calls/deps.js';
import { createJwtVerifier, JWT_HEADER, type VerifiedCaller } from './jwt.js';
import { callRoute } from './call_route.js';
import { error } from '../protocol/responses.js';
import { auditedRefusalLog } from '../../../core/refusal_audit.js';
import { countRequests } from '../../../metrics/request_counter.js';
import type { Surface } from '../../../metrics/service_metrics.js';
import { CallPath } from '../protocol/paths.js';

/** Which surface a call path serves, for the request counts (a command's call path is named after it). */
function surfaceOfCall(req: Request): Surface {
  const path = req.path;
  if (req.method !== 'POST') return 'static';
  if (path === CallPath.bindings) return 'bindings';
  if (path === CallPath.panel) return 'panel';
  if (path === CallPath.providerLookup) return 'lookup';
  if (path === CallPath.ping || path === CallPath.install) return 'lifecycle';
  if (path === CallPath.oauth2Connect || path === CallPath.oauth2Complete) return 'call';
  if (path.endsWith('/form')) return 'form';
  return 'command';
}

const STATIC_DIR = fileURLToPath(new URL('../../../../static/', import.meta.url));

export function createHttpApp(deps: Deps, routes: ReadonlyMap<string, Handler>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(countRequests(deps.metrics, 'apps', surfaceOfCall));
  // On a listener of its own the Apps host is reached at that listener's URL, not the service's.
  const rootUrl = deps.config.appsListener?.rootUrl ?? deps.config.rootUrl;
  const manifest = JSON.stringify(buildManifest(rootUrl, deps.config.jwtSecret !== undefined));

  app.get('/manifest.json', (_req, res) => {
    res.type('application/json').send(manifest);
  });
  app.get(`/static/${ICON}`, (_req, res) => {
    res.sendFile(ICON, { root: STATIC_DIR, maxAge: '1d' });
  });

  const verify = deps.config.jwtSecret !== undefined ? createJwtVerifier(deps.config.jwtSecret) : undefined;
  // Anyone who reaches the App can send bad JWTs: their warn lines (and audit entries) are rate-limited.
  const refusedLog = auditedRefusalLog({ logger: deps.logger, now: deps.now, audit: deps.audit });
  const parseBody = express.json({ limit: deps.config.bodyLimitBytes, strict: false, type: () => true });
  const handleCall = callRoute(deps, routes, refusedLog);
  // Every POST in one middleware (JWT, body, call) rather than three router
  // layers: the router's passes were a good part of the App's CPU per call.
  // app.use, not a route: it runs before express decodes the path, so even an
  // undecodable path is refused with 401 when the JWT does not verify.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    let caller: VerifiedCaller = {};
    if (verify) {
      try {
        caller = verify(req.get(JWT_HEADER));
      } catch (err) {
        refusedLog('call refused', { path: req.path.slice(0, 200), outcome: 'unauthorized', reason: err instanceof Error ? err.message : 'invalid JWT' });
        res.status(401).json(error('Unauthorized: the call is not signed by the Apps plugin.'));
        return;
      }
    }
    res.locals.caller = caller;
    // A throw in the handler goes to the error answer below, as express does for routes.
    parseBody(req, res, (err?: unknown) => (err ? next(err) : void Promise.resolve(handleCall(req, res, next)).catch(next)));
  });

  // Body parser failures (bad JSON, too large) still answer 200 with a call response.
  app.use((err: { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    const text =
      err.type === 'entity.too.large'
        ? `The call body is too large (at most ${deps.config.bodyLimitBytes} bytes).`
        : err.type === 'entity.parse.failed'
          ? 'The call body is not valid JSON.'
          : 'The call body could not be read.';
    deps.logger.info('call', { path: req.path.slice(0, 200), outcome: 'bad_input', reason: text });
    res.status(200).json(error(text));
  });
  app.use((_req, res) => {
    res.status(404).json(error('Not found.'));
  });
  return app;
}
