/**
 * The browser side of a connect: GET /connect?l=… (the link from the command
 * answer), GET /signin/callback (back from Mattermost), GET /complete/:provider
 * (back from the provider). Every failure is a page with the reason; nothing
 * is stored then.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { UserFacingError } from '../../../core/errors.js';
import { START_AGAIN } from '../../../core/connect_flow.js';
import type { StandaloneDeps } from '../deps.js';
import { failureOf } from '../failures.js';
import type { BrowserSession } from '../ports.js';
import { hashValue, RANDOM_VALUE, randomValue } from '../secrets.js';
import { SESSION_COOKIE, SESSION_TTL_MS, SIGNIN_COOKIE, clearSigninCookie, readCookie, setSessionCookie, setSigninCookie } from '../signin/cookies.js';
import { finishSignin, startSignin } from '../signin/mattermost_signin.js';
import { completeProviderFlow, startProviderFlow } from '../signin/provider_flow.js';
import { failurePage, sendPage, setBrowserHeaders, successPage } from './pages.js';

/** The query's single-valued parameters (a repeated one is dropped), bounded. */
function queryParams(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.query)) {
    if (typeof value === 'string' && name.length <= 64 && value.length <= 4096) out[name] = value;
  }
  return out;
}

function redirect(res: Response, url: string): void {
  setBrowserHeaders(res);
  res.redirect(303, url);
}

async function currentSession(deps: StandaloneDeps, req: Request): Promise<BrowserSession | undefined> {
  const value = readCookie(req, SESSION_COOKIE);
  return value ? deps.sessions.get(hashValue(value), deps.now()) : undefined;
}

function failed(deps: StandaloneDeps, res: Response, route: string, err: unknown): void {
  const failure = failureOf(deps.logger, err, `connect (${route})`, { route });
  sendPage(res, failure.status, failurePage(failure.text ?? 'Something went wrong on the service.'));
}

const guarded = (deps: StandaloneDeps, route: string, work: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) =>
  work(req, res).catch((err: unknown) => failed(deps, res, route, err));

async function openLink(deps: StandaloneDeps, req: Request, res: Response): Promise<void> {
  const value = typeof req.query.l === 'string' ? req.query.l : '';
  if (!RANDOM_VALUE.test(value)) throw new UserFacingError(`This connect link is not valid. ${START_AGAIN}`);
  const link = await deps.oneTime.take(hashValue(value), 'link', deps.now());
  if (!link) throw new UserFacingError(`This connect link has expired or was already used. ${START_AGAIN}`, { status: 410 });
  const session = await currentSession(deps, req);
  if (session && session.user_id === link.user_id) return redirect(res, await startProviderFlow(deps, session, link.provider_id));
  const { url, binder } = await startSignin(deps, link);
  setSigninCookie(res, deps.settings.rootUrl, binder);
  redirect(res, url);
}

async function signinCallback(deps: StandaloneDeps, req: Request, res: Response): Promise<void> {
  const binder = readCookie(req, SIGNIN_COOKIE);
  clearSigninCookie(res, deps.settings.rootUrl);
  const record = await finishSignin(deps, queryParams(req), binder);
  const value = randomValue();
  const now = deps.now();
  const session: BrowserSession = { id_hash: hashValue(value), user_id: record.user_id, created_at: now, expires_at: now + SESSION_TTL_MS };
  await deps.sessions.create(session);
  setSessionCookie(res, deps.settings.rootUrl, value);
  redirect(res, await startProviderFlow(deps, session, record.provider_id));
}

async function complete(deps: StandaloneDeps, req: Request, res: Response): Promise<void> {
  const provider = String(req.params.provider ?? '').slice(0, 64);
  const done = await completeProviderFlow(deps, provider, queryParams(req), await currentSession(deps, req));
  deps.logger.info('connected', { user_id: done.userId, provider_id: provider });
  sendPage(res, 200, successPage(done.providerName, done.connection.label));
}

export function browserRoutes(deps: StandaloneDeps): Router {
  const router = Router();
  router.get(
    '/connect',
    guarded(deps, 'connect', (req, res) => openLink(deps, req, res)),
  );
  router.get(
    '/signin/callback',
    guarded(deps, 'signin', (req, res) => signinCallback(deps, req, res)),
  );
  router.get(
    '/complete/:provider',
    guarded(deps, 'complete', (req, res) => complete(deps, req, res)),
  );
  // The router's own errors, e.g. /complete/%E0 (a path it cannot decode): a page, not express's default
  // answer, which outside NODE_ENV=production shows the stack.
  router.use((_err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendPage(res, 400, failurePage(`This address is not valid. ${START_AGAIN} Nothing was stored.`));
  });
  return router;
}
