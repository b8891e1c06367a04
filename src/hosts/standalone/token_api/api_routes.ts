/**
 * The token API under /api/v1 (on the main listener, beside /standalone):
 * POST /token, /consent-request and /connect-request. Each request is one
 * log line (client, user, provider, outcome, never a token or credential);
 * a refusal answers {error, error_description} with its status, and 429s a
 * Retry-After. No cookies, no CORS: integrations call it server to server.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { TokenClient } from '../../../core/token_api/types.js';
import type { StandaloneDeps } from '../deps.js';
import { TokenApiError } from './api_error.js';
import { authenticatedClient } from './client_auth.js';
import { issueToken } from './issue_token.js';
import { requestConnect, requestConsent } from './prompts.js';
import { parseTarget, type Target } from './target.js';
import type { TokenApi } from './token_api.js';

const BODY_LIMIT = 4 * 1024;

type Operation = (deps: StandaloneDeps, api: TokenApi, client: TokenClient, target: Target) => Promise<object>;

const OPERATIONS: Record<string, { log: string; run: Operation; status: (answer: object) => number }> = {
  '/token': { log: 'token request', run: issueToken, status: () => 200 },
  '/consent-request': { log: 'consent request', run: requestConsent, status: (a) => ('status' in a && a.status === 'requested' ? 202 : 200) },
  '/connect-request': {
    log: 'connect request',
    run: (deps, _api, client, target) => requestConnect(deps, client, target),
    status: (a) => ('status' in a && a.status === 'requested' ? 202 : 200),
  },
};

function refuse(res: Response, err: TokenApiError): void {
  if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds));
  if (err.code === 'invalid_client') res.setHeader('WWW-Authenticate', 'Bearer realm="oauth2-connect"');
  res.status(err.status).json({ error: err.code, error_description: err.message });
}

function route(deps: StandaloneDeps, api: TokenApi, path: string): express.RequestHandler {
  const operation = OPERATIONS[path]!;
  return (req: Request, res: Response) => {
    const started = deps.now();
    const fields: Record<string, unknown> = {};
    const run = async () => {
      const client = await authenticatedClient({ clients: api.clients, limiter: api.limiter, now: deps.now }, req);
      fields.client = client.id;
      const target = parseTarget(req.body);
      Object.assign(fields, { user: target.user_id, provider: target.provider });
      return operation.run(deps, api, client, target);
    };
    run().then(
      (answer) => {
        res.setHeader('Cache-Control', 'no-store');
        res.status(operation.status(answer)).json(answer);
        deps.logger.info(operation.log, { ...fields, outcome: 'status' in answer ? answer.status : 'issued', ms: deps.now() - started });
      },
      (err: unknown) => {
        const refusal = err instanceof TokenApiError ? err : new TokenApiError('server_error', 'Something went wrong on the service.');
        if (!(err instanceof TokenApiError)) deps.logger.error(`${operation.log} failed`, { ...fields, error: err });
        refuse(res, refusal);
        deps.logger.info(operation.log, { client: refusal.clientId, ...fields, outcome: refusal.code, ms: deps.now() - started });
      },
    );
  };
}

export function tokenApiRouter(deps: StandaloneDeps, api: TokenApi): express.Router {
  const router = express.Router();
  const json = express.json({ limit: BODY_LIMIT, type: () => true });
  for (const path of Object.keys(OPERATIONS)) router.post(path, json, route(deps, api, path));
  router.use((err: { type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    refuse(res, new TokenApiError('invalid_request', err.type === 'entity.too.large' ? 'The body is too large.' : 'The body is not valid JSON.'));
  });
  return router;
}
