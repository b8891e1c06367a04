/** The App manifest, with root_url and use_jwt filled from the configuration. */
import { CallPath } from './paths.js';
import { CALL_EXPAND } from './expand.js';

export const APP_ID = 'oauth2-connect';
/** At most 10 characters (AppVersion.Validate). */
export const APP_VERSION = 'v0.1.0';
export const ICON = 'icon.png';


export function buildManifest(rootUrl: string, useJwt: boolean): Record<string, unknown> {
  return {
    app_id: APP_ID,
    version: APP_VERSION,
    display_name: 'OAuth2 Connect',
    description: 'Connect your Mattermost account to GitHub, GitLab, Google, Microsoft, other Mattermost servers and any OAuth2 or OpenID Connect provider.',
    homepage_url: 'https://github.com/mattermost-community/oauth2-connect',
    icon: ICON,
    requested_permissions: ['act_as_bot', 'act_as_user', 'remote_oauth2'],
    requested_locations: ['/command', '/channel_header'],
    bindings: { path: CallPath.bindings, expand: { acting_user: 'summary', oauth2_app: 'all', oauth2_user: 'all' } },
    on_install: { path: CallPath.install, expand: { acting_user: 'summary' } },
    get_oauth2_connect_url: { path: CallPath.oauth2Connect, expand: CALL_EXPAND },
    on_oauth2_complete: { path: CallPath.oauth2Complete, expand: CALL_EXPAND },
    http: { root_url: rootUrl, use_jwt: useJwt },
  };
}
