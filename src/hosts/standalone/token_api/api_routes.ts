/**
 * The token API under /api/v1 (on the main listener, beside /standalone):
 * POST /token, /consent-request and /connect-request. Each request is one
 * log line (client, user, provider, outcome, never a token or credential);
 * a refusal answers {error, error_description} with its status, and 429s a
 * Retry-After. No cookies, no CORS: integrations call it server to server.
 *
 * POST /token is also a plain node handler (tokenHandler) that the service
 * answers ahead of express for a plain UTF-8 body (json_body.ts reads it as
 * express.json does): the same answers, without express's layers on the
 * endpoint integrations call most.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenClient } from '../../../core/token_api/types.js';
import type { StandaloneDeps } from '../deps.js';
import { sendJson } from '../../../util/json_answer.js';
import { TokenApiError } from './api_error.js';
import { admittedClient, authenticatedClient, presentedCredential } from './client_auth.js';
import { issueFrom, issueToken } from './issue_token.js';
import { readJsonBody } from './json_body.js';
import { requestConnect, requestConsent } from './prompts.js';
import { parseTarget, targetInView, wellFormedTarget, type Target } from './target.js';
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

function refuse(res: ServerResponse, err: TokenApiError): void {
  if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds));
  if (err.code === 'invalid_client') res.setHeader('WWW-Authenticate', 'Bearer realm="oauth2-connect"');
  sendJson(res, err.status, { error: err.code, error_description: err.message });
}

const refuseBody = (res: ServerResponse, tooLarge: boolean) =>
  refuse(res, new TokenApiError('invalid_request', tooLarge ? 'The body is too large.' : 'The body is not valid JSON.'));

/**
 * The token endpoint with a well-formed target: the client, the grant and the user's row in one statement,
 * then the same checks in the same order as the other operations make them one read at a time.
 */
async function tokenInOneRead(deps: StandaloneDeps, api: TokenApi, req: IncomingMessage, target: Target, fields: Record<string, unknown>) {
  const given = presentedCredential(req);
  const read = await api.issuance!.read(given.hash, target.user_id, target.provider);
  const client = await admittedClient({ limiter: api.limiter, now: deps.now }, given, read.found, req.socket.remoteAddress);
  Object.assign(fields, { client: client.id, user: target.user_id, provider: target.provider });
  const view = read.view ? await targetInView(read.view, client, target.provider) : { stored: undefined, row: undefined };
  return issueFrom(deps, api, client, target, view, read.grant);
}

/** Runs the path's operation for the request's client and answers it, with its one log line. */
function serve(deps: StandaloneDeps, api: TokenApi, path: string, req: IncomingMessage, body: unknown, res: ServerResponse): void {
  const operation = OPERATIONS[path]!;
  const started = deps.now();
  const fields: Record<string, unknown> = {};
  const run = async () => {
    const target = path === '/token' && api.issuance ? wellFormedTarget(body) : undefined;
    if (target) return tokenInOneRead(deps, api, req, target, fields);
    const client = await authenticatedClient({ clients: api.clients, limiter: api.limiter, now: deps.now }, req);
    fields.client = client.id;
    const parsed = parseTarget(body);
    Object.assign(fields, { user: parsed.user_id, provider: parsed.provider });
    return operation.run(deps, api, client, parsed);
  };
  run().then(
    (answer) => {
      res.setHeader('Cache-Control', 'no-store');
      sendJson(res, operation.status(answer), answer);
      deps.logger.info(operation.log, { ...fields, outcome: 'status' in answer ? answer.status : 'issued', ms: deps.now() - started });
    },
    (err: unknown) => {
      const refusal = err instanceof TokenApiError ? err : new TokenApiError('server_error', 'Something went wrong on the service.');
      if (!(err instanceof TokenApiError)) deps.logger.error(`${operation.log} failed`, { ...fields, error: err });
      refuse(res, refusal);
      deps.logger.info(operation.log, { client: refusal.clientId, ...fields, outcome: refusal.code, ms: deps.now() - started });
    },
  );
}

/** The path of the token endpoint on the main listener. */
export const TOKEN_URL = '/api/v1/token';

/** POST /api/v1/token as a plain node handler, for a request whose body plainUtf8 accepts (the service checks). */
export function tokenHandler(deps: StandaloneDeps, api: TokenApi): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    readJsonBody(req, BODY_LIMIT).then(
      (body) => ('problem' in body ? refuseBody(res, body.problem === 'too_large') : serve(deps, api, '/token', req, body.value, res)),
      () => refuseBody(res, false),
    );
  };
}

export function tokenApiRouter(deps: StandaloneDeps, api: TokenApi): express.Router {
  const router = express.Router();
  const json = express.json({ limit: BODY_LIMIT, type: () => true });
  for (const path of Object.keys(OPERATIONS)) router.post(path, json, (req: Request, res: Response) => serve(deps, api, path, req, req.body, res));
  router.use((err: { type?: string }, _req: Request, res: Response, _next: NextFunction) => refuseBody(res, err.type === 'entity.too.large'));
  return router;
}
