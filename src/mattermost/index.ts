export { AppsPluginClient, APPS_API, MAX_VALUE_BYTES, type OAuth2App } from './apps_client.js';
export { MattermostRestClient } from './rest_client.js';
export { MattermostApiError, DriverInputError } from './errors.js';
export type { HttpOptions } from './http.js';
