/** The bindings call: computed from the expanded context alone, with no round trip. */
import { computeBindings } from '../protocol/bindings.js';
import { bindingsResponse } from '../protocol/responses.js';
import type { Handler } from './deps.js';
import { isSystemAdmin, providersOf, userStateOf } from './context.js';

export const bindings: Handler = async (req) => {
  if (!req.context.acting_user?.id) return bindingsResponse([]);
  const providers = providersOf(req);
  return bindingsResponse(computeBindings({ isAdmin: isSystemAdmin(req), providers, connections: userStateOf(req, providers).connections }));
};
