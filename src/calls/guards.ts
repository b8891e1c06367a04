/** Guards wrap handlers (as the Apps plugin's goapp does): a handler only runs when its guard passes. */
import type { Handler } from './deps.js';
import { actingUser, isSystemAdmin } from './context.js';
import { UserFacingError } from './errors.js';

/** Admin handlers refuse non-admins on their own: bindings are not a security boundary. */
export const requireAdmin =
  (handler: Handler): Handler =>
  async (req, deps) => {
    actingUser(req);
    if (!isSystemAdmin(req)) throw new UserFacingError('Only system admins can manage OAuth2 providers.');
    return handler(req, deps);
  };

export const requireUser =
  (handler: Handler): Handler =>
  async (req, deps) => {
    actingUser(req);
    return handler(req, deps);
  };
