/**
 * What setup creates in Mattermost, by name, and the service URLs those
 * objects point at. Everything is derived from the configured root URL, so a
 * changed APP_ROOT_URL is picked up by the next setup or team sync.
 */
import { trimTrailingSlashes } from '../../../util/trim_slashes.js';

export const BOT_USERNAME = 'oauth2-connect';
export const BOT_DISPLAY_NAME = 'OAuth2 Connect';
export const BOT_DESCRIPTION = 'Messages from OAuth2 Connect: connection results and reconnect prompts.';
/** The prop on the bot's user record that tells the webapp plugin the service's root URL (service_address.ts). */
export const SERVICE_URL_PROP = 'oauth2_connect_service_url';
/** The prop on the bot's user record that names the installation whose storage holds the bot's token (installation_owner.ts). */
export const INSTALLATION_ID_PROP = 'oauth2_connect_installation_id';
/** Tokens setup makes for the bot carry this description, so a lost one can be revoked. */
export const BOT_TOKEN_DESCRIPTION = 'oauth2-connect service (made by oauth2-connect setup)';
export const SIGNIN_APP_NAME = 'OAuth2 Connect sign-in';
export const SIGNIN_APP_DESCRIPTION = 'Sign in with Mattermost for OAuth2 Connect: proves who opened a connect link.';
export const COMMAND_TRIGGER = 'oauth2';
export const COMMAND_HINT = '[connect|disconnect|status|whoami|providers|help]';
export const COMMAND_DESCRIPTION = 'Connect your accounts at OAuth2 providers';
export const COMMAND_DISPLAY_NAME = 'OAuth2 Connect';

export interface ServiceUrls {
  root: string;
  command: string;
  signinCallback: string;
}

export function serviceUrls(rootUrl: string): ServiceUrls {
  const root = trimTrailingSlashes(rootUrl);
  return { root, command: `${root}/standalone/command`, signinCallback: `${root}/standalone/signin/callback` };
}

/** At most the last 4 characters of a secret, for a report line. */
export function secretHint(secret: string): string {
  return secret.length > 8 ? `…${secret.slice(-4)}` : '…';
}
