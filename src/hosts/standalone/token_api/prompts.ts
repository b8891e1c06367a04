/**
 * POST /api/v1/consent-request and /api/v1/connect-request: a client asks the
 * service to prompt a user in a direct message from the bot. A consent
 * request names the client, the provider and the scopes, with Allow and Deny
 * buttons (consent_context.ts); a connect request carries the user's own
 * one-time connect link. A client can prompt a user about one provider at
 * most once per PROMPT_SPACING_MS (across replicas), so it cannot flood them.
 */
import { codeSpan, md } from '../../../core/format.js';
import type { TokenClient } from '../../../core/token_api/types.js';
import type { StandaloneDeps } from '../deps.js';
import { hashValue } from '../secrets.js';
import { createConnectLink } from '../signin/links.js';
import { TokenApiError } from './api_error.js';
import { signConsent } from './consent_context.js';
import { allowedProvider, connectedRow, consentScopes, type Target } from './target.js';
import type { TokenApi } from './token_api.js';

export const PROMPT_SPACING_MS = 10 * 60_000;

export const CONSENT_URL_PATH = '/standalone/consent';

export interface PromptAnswer {
  /** 'granted' / 'connected': nothing to ask; 'requested': the DM was sent; 'pending': one was sent a moment ago. */
  status: 'granted' | 'connected' | 'requested' | 'pending';
}

/** True for the first prompt of this kind in the current window. */
async function firstPromptNow(deps: StandaloneDeps, kind: string, client: TokenClient, target: Target): Promise<boolean> {
  const now = deps.now();
  const window = Math.floor(now / PROMPT_SPACING_MS);
  const key = hashValue(`${kind}.${client.id}.${target.user_id}.${target.provider}.${window}`);
  return deps.oneTime.claim({
    key_hash: key,
    purpose: 'consent',
    user_id: target.user_id,
    provider_id: target.provider,
    expires_at: (window + 1) * PROMPT_SPACING_MS,
  });
}

async function send(work: Promise<void>): Promise<void> {
  await work.catch(() => {
    throw new TokenApiError('server_error', 'The direct message to the user could not be sent (is the user id right?).');
  });
}

export async function requestConsent(deps: StandaloneDeps, api: TokenApi, client: TokenClient, target: Target): Promise<PromptAnswer> {
  const stored = await allowedProvider(deps, client, target.provider);
  await connectedRow(deps, target.user_id, stored);
  if (await api.clients.getGrant(target.user_id, client.id, stored.id)) return { status: 'granted' };
  if (!(await firstPromptNow(deps, 'consent', client, target))) return { status: 'pending' };
  const scopes = consentScopes(client, stored);
  const contexts = signConsent(
    api.consentKey,
    { user_id: target.user_id, client_id: client.id, client_created_at: client.created_at, provider_id: stored.id, scopes },
    deps.now(),
  );
  const url = `${deps.settings.rootUrl}${CONSENT_URL_PATH}`;
  const text = `**${md(client.name)}** asks to use your **${md(stored.display_name)}** account with the scopes ${scopes.map((s) => codeSpan(s)).join(' ') || '(none)'}. It could then act there as you, within those scopes, until you revoke it (\`/oauth2 grants revoke ${client.id}\`).`;
  const button = (id: string, name: string, style: string, consent: string) => ({ id, name, style, integration: { url, context: { consent } } });
  const props = {
    attachments: [
      {
        fallback: text,
        text: 'Do you allow it?',
        actions: [button('allow', 'Allow', 'primary', contexts.allow), button('deny', 'Deny', 'danger', contexts.deny)],
      },
    ],
  };
  await send(deps.bot.dmWithProps(target.user_id, text, props));
  return { status: 'requested' };
}

export async function requestConnect(deps: StandaloneDeps, client: TokenClient, target: Target): Promise<PromptAnswer> {
  const stored = await allowedProvider(deps, client, target.provider);
  const connected = await connectedRow(deps, target.user_id, stored).then(
    () => true,
    (err: unknown) => {
      if (err instanceof TokenApiError && (err.code === 'not_connected' || err.code === 'reconnect_required')) return false;
      throw err;
    },
  );
  if (connected) return { status: 'connected' };
  if (!(await firstPromptNow(deps, 'connect', client, target))) return { status: 'pending' };
  const link = await createConnectLink(deps, target.user_id, stored.id);
  const text = `**${md(client.name)}** asks you to connect your **${md(stored.display_name)}** account, so that it can then ask your permission to use it: [Connect ${md(stored.display_name)}](${link}). The link works once, only for you.`;
  await send(deps.bot.dm(target.user_id, text));
  return { status: 'requested' };
}
