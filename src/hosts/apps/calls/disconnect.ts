/** `/oauth2 disconnect <provider>`: the core's disconnect (revoke at the issuing origin, delete). */
import * as core from '../../../core/disconnect.js';
import type { Handler } from './deps.js';
import { coreRequest, render } from './core_request.js';

export const disconnect: Handler = async (req, deps) => render(await core.disconnect(coreRequest(req, deps), deps));
