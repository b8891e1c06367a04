/** `/oauth2 status`: the core's status, for the acting user. */
import * as core from '../../../core/status.js';
import type { Handler } from './deps.js';
import { coreRequest, render } from './core_request.js';

export const status: Handler = async (req, deps) => render(await core.status(coreRequest(req, deps), deps));
