/**
 * What a verified JWT lets a call claim. In Apps plugin v1.2.2 any logged-in
 * user can read the JWT secret, so the body's claims grant nothing by
 * themselves: a JWT without acting_user_id is accepted only where the plugin
 * really calls without a user, and a call naming another Mattermost than the
 * configured one is refused before any token is sent anywhere.
 */
import type { CallRequest } from '../protocol/types.js';
import { CallPath } from '../protocol/paths.js';
import type { Config } from '../../../config/index.js';
import { trimTrailingSlashes } from '../../../util/trim_slashes.js';
import type { VerifiedCaller } from './jwt.js';

/**
 * /ping carries an all-empty context; connect_url and complete_url opened in a
 * browser without a Mattermost session reach the App with no acting user
 * (docs/mattermost.md, "Installing an App" and "Remote OAuth2"). Every other path has one: the
 * manifest's bindings and on_install expand acting_user.
 */
export const NO_USER_PATHS: ReadonlySet<string> = new Set([CallPath.ping, CallPath.oauth2Connect, CallPath.oauth2Complete]);

export interface Refusal {
  status: 200 | 401;
  text: string;
  reason: string;
}

function normalizedSite(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return trimTrailingSlashes(`${parsed.origin}${parsed.pathname}`);
  } catch {
    return undefined;
  }
}

/** True when `siteUrl` names the configured Mattermost (or nothing is configured). */
export function isConfiguredSite(config: Readonly<Config>, siteUrl: string | undefined): boolean {
  if (!config.mattermostUrl || !siteUrl) return true;
  return normalizedSite(siteUrl) === normalizedSite(config.mattermostUrl);
}

/** Drops what the body says about a user the JWT does not name. */
function forgetActingUser(call: CallRequest): void {
  delete call.context.acting_user;
  delete call.context.acting_user_access_token;
  if (call.context.oauth2) delete call.context.oauth2.user;
}

/**
 * Checks a parsed call against its verified caller; may strip the acting user
 * from the context. `jwtOn` is false only when the App runs without a secret.
 */
export function checkCaller(call: CallRequest, caller: VerifiedCaller, jwtOn: boolean, config: Readonly<Config>): Refusal | undefined {
  if (jwtOn && !caller.actingUserId) {
    if (!NO_USER_PATHS.has(call.path)) {
      return { status: 401, text: 'Unauthorized: this call needs a signed acting user.', reason: 'no acting_user_id in the JWT' };
    }
    forgetActingUser(call);
  }
  const bodyUser = call.context.acting_user?.id;
  if (caller.actingUserId && bodyUser && caller.actingUserId !== bodyUser) {
    return { status: 401, text: 'Unauthorized: the acting user does not match the signed caller.', reason: 'acting user differs from the JWT' };
  }
  if (!isConfiguredSite(config, call.context.mattermost_site_url)) {
    return {
      status: 200,
      text: 'Refused: this call names another Mattermost server than the one the App is configured for (APP_MATTERMOST_URL). Nothing was sent.',
      reason: 'mattermost_site_url differs from APP_MATTERMOST_URL',
    };
  }
  return undefined;
}
