/** The Mattermost driver's public API (@oauth2-connect/driver): the Apps plugin REST client, a few REST v4 calls, and the Apps framework's wire types. */
export { AppsPluginClient, APPS_API, MAX_VALUE_BYTES, type OAuth2App } from './apps_client.js';
export { MattermostRestClient } from './rest_client.js';
export { MattermostApiError, DriverInputError } from './errors.js';
export type { HttpOptions } from './http.js';
export type * from './protocol.js';
