/** The package's public API for other App developers: the driver and the OAuth engine. */
export * from './mattermost/index.js';
export { createService, createDeps } from './service.js';
export { loadConfig, type Config } from './config/index.js';
export { withDevelopmentKey } from './config/development_key.js';
export type * from './hosts/apps/protocol/types.js';
export { CallPath } from './hosts/apps/protocol/paths.js';
