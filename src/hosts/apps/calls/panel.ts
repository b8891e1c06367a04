/** Data for the webapp's "Connected accounts" panel: the core's connection view. */
import { ok } from '../protocol/responses.js';
import type { PanelData } from '../protocol/panel_types.js';
import type { Handler } from './deps.js';
import { isSystemAdmin } from './context.js';
import { connectionView } from '../../../core/connection_view.js';
import { coreRequest } from './core_request.js';

export const panel: Handler = async (req, deps) => {
  const connectUrl = req.context.oauth2?.connect_url;
  const data: PanelData = {
    providers: await connectionView(coreRequest(req, deps), deps),
    is_admin: isSystemAdmin(req),
    ...(connectUrl && { connect_url: connectUrl }),
  };
  return ok(undefined, data);
};
