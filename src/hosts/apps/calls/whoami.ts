/** `/oauth2 whoami <provider>`: the core's whoami (refresh once, then mark broken). */
import * as core from '../../../core/whoami.js';
import type { Handler } from './deps.js';
import { coreRequest, render } from './core_request.js';

export const whoami: Handler = async (req, deps) => render(await core.whoami(coreRequest(req, deps), deps));
