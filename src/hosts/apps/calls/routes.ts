/** Every call path and its handler, with its guard. */
import { CallPath, type CallPathValue } from '../protocol/paths.js';
import { ok } from '../protocol/responses.js';
import type { Handler } from './deps.js';
import { requireAdmin, requireUser } from './guards.js';
import { bindings } from './bindings.js';
import { connect } from './connect.js';
import { disconnect } from './disconnect.js';
import { help, install, providerLookup, providers } from './info.js';
import { oauth2Complete } from './oauth2_complete.js';
import { oauth2Connect } from './oauth2_connect.js';
import { panel } from './panel.js';
import { status } from './status.js';
import { whoami } from './whoami.js';
import {
  providerAdd,
  providerAddForm,
  providerEdit,
  providerEditForm,
  providerList,
  providerRegister,
  providerRegisterForm,
  providerRemove,
  providerTest,
  report,
} from './admin/provider_handlers.js';

const table: Record<CallPathValue, Handler> = {
  [CallPath.ping]: async () => ok(),
  [CallPath.bindings]: bindings,
  [CallPath.install]: install,
  [CallPath.oauth2Connect]: oauth2Connect,
  [CallPath.oauth2Complete]: oauth2Complete,
  [CallPath.connect]: requireUser(connect),
  [CallPath.disconnect]: requireUser(disconnect),
  [CallPath.status]: requireUser(status),
  [CallPath.whoami]: requireUser(whoami),
  [CallPath.providers]: providers,
  [CallPath.help]: help,
  [CallPath.providerLookup]: providerLookup,
  [CallPath.panel]: requireUser(panel),
  [CallPath.providerAdd]: requireAdmin(providerAdd),
  [CallPath.providerAddForm]: requireAdmin(providerAddForm),
  [CallPath.providerEdit]: requireAdmin(providerEdit),
  [CallPath.providerEditForm]: requireAdmin(providerEditForm),
  [CallPath.providerRemove]: requireAdmin(providerRemove),
  [CallPath.providerTest]: requireAdmin(providerTest),
  [CallPath.providerRegister]: requireAdmin(providerRegister),
  [CallPath.providerRegisterForm]: requireAdmin(providerRegisterForm),
  [CallPath.providerList]: requireAdmin(providerList),
  [CallPath.report]: requireAdmin(report),
};

export const routes: ReadonlyMap<string, Handler> = new Map(Object.entries(table));
