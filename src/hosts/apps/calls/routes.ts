/** Every call path and its handler, with its guard: the App's own calls here, the `/oauth2` commands' from the core's list. */
import { CallPath } from '../protocol/paths.js';
import { ok } from '../protocol/responses.js';
import type { Handler } from './deps.js';
import { requireUser } from './guards.js';
import { bindings } from './bindings.js';
import { commandRoutes } from './command_routes.js';
import { install, providerLookup } from './info.js';
import { oauth2Complete } from './oauth2_complete.js';
import { oauth2Connect } from './oauth2_connect.js';
import { panel } from './panel.js';

const own: Record<string, Handler> = {
  [CallPath.ping]: async () => ok(),
  [CallPath.bindings]: bindings,
  [CallPath.install]: install,
  [CallPath.oauth2Connect]: oauth2Connect,
  [CallPath.oauth2Complete]: oauth2Complete,
  [CallPath.providerLookup]: providerLookup,
  [CallPath.panel]: requireUser(panel),
};

export const routes: ReadonlyMap<string, Handler> = new Map([...Object.entries(own), ...commandRoutes()]);
