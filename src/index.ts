/**
 * The service as a library, for embedding it in another Node.js process:
 * build the dependencies, then the service (src/main.ts does the same).
 * App developers who want the OAuth engine or the Mattermost driver install
 * @oauth2-connect/engine and @oauth2-connect/driver (packages/), which load
 * none of the service's dependencies.
 */
export { createService, createDeps } from './service.js';
export { loadConfig, type Config } from './config/index.js';
export { withDevelopmentKey } from './config/development_key.js';
