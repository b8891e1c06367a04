/**
 * POST /standalone/consent: a click on a consent request's Allow or Deny
 * button, as Mattermost forwards it (its post-action request: the clicking
 * user's id and the button's context). The click counts once, only for the
 * user the request was signed for (consent_context.ts), and only while the
 * client still exists as it was registered when the request was sent (not
 * removed, nor removed and registered again under the same name) and may ask
 * for that provider and the user is still connected.
 * The answer replaces the message, buttons gone; a refusal is shown to the
 * clicking user only and changes nothing.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { codeSpan, md } from '../../../core/format.js';
import type { TokenClient } from '../../../core/token_api/types.js';
import type { StandaloneDeps } from '../deps.js';
import { hashValue } from '../secrets.js';
import { TokenApiError } from './api_error.js';
import { verifyConsent, type ConsentContext } from './consent_context.js';
import { allowedProvider, connectedRow, consentScopes, notConnected } from './target.js';
import type { TokenApi } from './token_api.js';
import { fromMattermostOnly } from '../mattermost_source.js';

const ACTION = z.object({
  user_id: z.string().regex(/^[a-z0-9]{26}$/),
  context: z.object({ consent: z.string().max(4096) }).passthrough(),
});

interface ActionAnswer {
  update?: { message: string; props: Record<string, unknown> };
  ephemeral_text?: string;
}

const CLIENT_REMOVED: ActionAnswer = { ephemeral_text: 'This integration was removed; nothing was changed.' };

/**
 * The client the request was sent for, or undefined when it is gone. A client registered since under the same
 * id is another integration (its own credential and rules, none of the user's grants): a click cannot grant it.
 */
async function signedClient(api: TokenApi, context: ConsentContext): Promise<TokenClient | undefined> {
  const client = await api.clients.get(context.client_id);
  return client?.created_at === context.client_created_at ? client : undefined;
}

async function decide(deps: StandaloneDeps, api: TokenApi, context: ConsentContext): Promise<ActionAnswer> {
  const client = await signedClient(api, context);
  if (!client) return CLIENT_REMOVED;
  const stored = await allowedProvider(deps, client, context.provider_id);
  if (context.decision === 'deny') {
    deps.logger.info('token consent', { client: client.id, user: context.user_id, provider: stored.id, outcome: 'denied' });
    return { update: { message: `You denied **${md(client.name)}** the use of your **${md(stored.display_name)}** account.`, props: {} } };
  }
  // Read first for its answers (a broken connection needs a reconnect); the write checks the connection again itself.
  await connectedRow(deps, context.user_id, stored);
  // What the user saw, as far as the client may still receive it.
  const allowed = consentScopes(client, stored);
  const scopes = context.scopes.filter((s) => allowed.includes(s));
  // A disconnect or the client's removal since the reads: no grant outlives its connection or its client.
  const grant = { user_id: context.user_id, client_id: client.id, provider_id: stored.id, scopes, granted_at: deps.now() };
  // Checked again in the write: a client removed and registered again since the read above is not the one asked about.
  const granted = await api.clients.grant(grant, context.client_created_at);
  if (!granted) {
    // The write tells only that one of its checks failed; the client read again tells which.
    if (!(await signedClient(api, context))) return CLIENT_REMOVED;
    throw notConnected(stored);
  }
  deps.logger.info('token consent', { client: client.id, user: context.user_id, provider: stored.id, outcome: 'allowed' });
  const message = `You allowed **${md(client.name)}** to use your **${md(stored.display_name)}** account (${scopes.map((s) => codeSpan(s)).join(' ') || 'no scopes'}). Revoke it any time with \`/oauth2 grants revoke ${client.id}\`.`;
  return { update: { message, props: {} } };
}

async function handleClick(deps: StandaloneDeps, api: TokenApi, body: unknown): Promise<ActionAnswer> {
  const parsed = ACTION.safeParse(body);
  if (!parsed.success) return { ephemeral_text: 'This button is not one the service sent.' };
  const check = verifyConsent(api.consentKey, parsed.data.context.consent, parsed.data.user_id, deps.now());
  if (!check.ok) {
    deps.refusalLog('consent click refused', { user_id: parsed.data.user_id, reason: check.reason });
    return { ephemeral_text: check.reason };
  }
  const { context } = check;
  const first = await deps.oneTime.claim({
    key_hash: hashValue(`consent.${context.nonce}`),
    purpose: 'consent',
    user_id: context.user_id,
    provider_id: context.provider_id,
    expires_at: context.expires_at,
  });
  if (!first) {
    deps.refusalLog('consent click refused', { user_id: context.user_id, reason: 'already used' });
    return { ephemeral_text: 'You already answered this request. See your grants with `/oauth2 grants list`.' };
  }
  try {
    return await decide(deps, api, context);
  } catch (err) {
    if (err instanceof TokenApiError) return { ephemeral_text: `Nothing was changed: ${err.message}` };
    throw err;
  }
}

export function consentActionRoute(deps: StandaloneDeps, api: TokenApi): express.Router {
  const router = express.Router();
  router.post('/consent', fromMattermostOnly(deps, 'button'), express.json({ limit: 16 * 1024, type: () => true }), (req: Request, res: Response) => {
    handleClick(deps, api, req.body).then(
      (answer) => res.status(200).json(answer),
      (err: unknown) => {
        deps.logger.error('consent click failed', { error: err });
        res.status(200).json({ ephemeral_text: 'Something went wrong on the service; nothing was changed. Try again.' });
      },
    );
  });
  router.use('/consent', (_err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(400).json({ ephemeral_text: 'This button is not one the service sent.' });
  });
  return router;
}
