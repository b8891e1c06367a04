/**
 * Sign in with Mattermost: the service is an OAuth2 client of the configured
 * Mattermost server (the trusted app setup created): code flow with PKCE S256,
 * client_secret_post, the state single use and tied to the browser by the
 * sign-in cookie. The Mattermost access token serves once, for
 * GET /api/v4/users/me, and is then logged out: it is a full session of the
 * user (docs/mattermost.md, "Sign in with Mattermost, and Mattermost as a provider").
 */
import type { ProviderConfig } from '@oauth2-connect/engine';
import type { StandaloneDeps } from '../deps.js';
import { UserFacingError } from '../../../core/errors.js';
import { hashValue, randomValue, sameText } from '../secrets.js';
import type { OneTimeRecord } from '../ports.js';
import { START_AGAIN } from '../../../core/connect_flow.js';
import { SIGNIN_TTL_MS } from './cookies.js';
import { NotInstalledError } from '../cannot_serve.js';

export const signinCallbackUrl = (rootUrl: string): string => `${rootUrl}/standalone/signin/callback`;

/** The engine's view of the Mattermost server as a provider, from the installation record. */
export async function mattermostSigninConfig(deps: Pick<StandaloneDeps, 'installation' | 'settings'>): Promise<ProviderConfig> {
  const installation = await deps.installation.getInstallation();
  // The page then says what /readyz names (the storage holds no installation), as every other surface does.
  if (!installation) throw new NotInstalledError();
  return {
    id: 'mattermost-signin',
    display_name: 'Mattermost',
    preset: 'mattermost',
    base_url: deps.settings.mattermostUrl,
    client_id: installation.oauth_client_id,
    client_secret: installation.oauth_client_secret,
    token_endpoint_auth_method: 'client_secret_post',
    scopes: [],
  };
}

/** Records the sign-in for the link's user and provider; returns the authorize URL and the browser binder. */
export async function startSignin(deps: StandaloneDeps, link: OneTimeRecord): Promise<{ url: string; binder: string }> {
  const config = await mattermostSigninConfig(deps);
  const state = randomValue();
  const binder = randomValue();
  await deps.oneTime.put({
    key_hash: hashValue(state),
    purpose: 'signin',
    user_id: link.user_id,
    provider_id: link.provider_id,
    data: JSON.stringify({ b: hashValue(binder) }),
    expires_at: deps.now() + SIGNIN_TTL_MS,
  });
  const { code_verifier } = deps.flowSecrets(state);
  const url = await deps.mattermostEngine.authorizationUrl(config, { state, redirect_uri: signinCallbackUrl(deps.settings.rootUrl), code_verifier });
  return { url, binder };
}

function binderHash(record: OneTimeRecord): string {
  try {
    const parsed = JSON.parse(record.data ?? '') as { b?: unknown };
    return typeof parsed.b === 'string' ? parsed.b : '';
  } catch {
    return '';
  }
}

/**
 * The callback: takes the sign-in record (single use), checks the binder
 * cookie, exchanges the code, reads /users/me and requires the link's user.
 * Returns the sign-in record (user and provider of the link).
 */
export async function finishSignin(deps: StandaloneDeps, params: Record<string, string>, binder: string | undefined): Promise<OneTimeRecord> {
  const state = params.state;
  if (params.error === 'access_denied' && !state) throw new UserFacingError(`You declined the sign-in with Mattermost. ${START_AGAIN}`);
  if (!state || state.length > 256) throw new UserFacingError(`The sign-in answer from Mattermost carries no valid state. ${START_AGAIN}`);
  const record = await deps.oneTime.take(hashValue(state), 'signin', deps.now());
  if (!record) throw new UserFacingError(`This sign-in has expired or was already used. ${START_AGAIN}`);
  if (!binder || !sameText(hashValue(binder), binderHash(record))) {
    throw new UserFacingError(`This sign-in was started in another browser. ${START_AGAIN}`, { status: 403 });
  }
  const config = await mattermostSigninConfig(deps);
  const { code_verifier } = deps.flowSecrets(state);
  const done = await deps.mattermostEngine.complete(config, {
    params,
    redirect_uri: signinCallbackUrl(deps.settings.rootUrl),
    expected_state: state,
    code_verifier,
  });
  // The token served its purpose (/users/me): logging it out deletes it at Mattermost.
  void deps.mattermostEngine.revoke(config, done.tokens).catch(() => undefined);
  if (done.account.sub !== record.user_id) {
    deps.refusalLog('connect link opened by another Mattermost user', { link_user_id: record.user_id, signed_in_user_id: done.account.sub });
    throw new UserFacingError(
      `This link was made for another Mattermost user, and you are signed in to Mattermost as @${done.account.label}. Links work only for the person who ran /oauth2 connect.`,
      { status: 403 },
    );
  }
  return record;
}
