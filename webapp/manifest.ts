// Identity of this plugin and of the App it talks to. plugin.json holds the same
// id and name; test/unit/webapp/manifest.test.ts keeps the two in step.
export const PLUGIN_ID = 'com.github.oauth2-connect.webapp';
export const PLUGIN_NAME = 'OAuth2 Connect';

/** The Mattermost App whose calls this plugin makes. */
export const APP_ID = 'oauth2-connect';

/** The Apps plugin, whose call endpoint proxies every call to the App. */
export const APPS_PLUGIN_ID = 'com.mattermost.apps';
export const APPS_CALL_PATH = `/plugins/${APPS_PLUGIN_ID}/api/v1/call`;

/**
 * The websocket event the Apps plugin sends after an install, an oauth2/user
 * store or a `refresh_bindings` response: the moment connection state changed.
 * Plugin events arrive as "custom_<plugin id>_<event>".
 */
export const APPS_REFRESH_EVENT = `custom_${APPS_PLUGIN_ID}_refresh_bindings`;

/** The host's redux key for this plugin's reducer (registerReducer). */
export const STATE_KEY = `plugins-${PLUGIN_ID}`;
