/** Guards wrap handlers (as the Apps plugin's goapp does): a handler only runs when its guard passes. */
import type { Handler } from './deps.js';
import { actingUser, isSystemAdmin, userRest } from './context.js';
import { UserFacingError } from '../../../core/errors.js';
import { MattermostApiError } from '@oauth2-connect/driver';

const NOT_ADMIN = 'Only system admins can manage OAuth2 providers.';

/**
 * Admin handlers refuse non-admins on their own: bindings are not a security
 * boundary, and neither is the body (any user can sign a call in v1.2.2). So
 * Mattermost is asked who the acting user's token belongs to and with which
 * roles: it must be the signed acting user, and a system admin.
 */
export const requireAdmin =
  (handler: Handler): Handler =>
  async (req, deps) => {
    const user = actingUser(req);
    // The body's roles are necessary, not sufficient: an honest non-admin call is refused without a round trip.
    if (!isSystemAdmin(req)) throw new UserFacingError(NOT_ADMIN);
    let me: { id: string; roles: string };
    try {
      me = await userRest(req, deps).me();
    } catch (err) {
      if (err instanceof MattermostApiError && (err.status === 401 || err.status === 403))
        throw new UserFacingError(`${NOT_ADMIN} (Mattermost did not accept the acting user's token.)`);
      throw err;
    }
    if (me.id !== user.id || !me.roles.split(/\s+/).includes('system_admin')) throw new UserFacingError(NOT_ADMIN);
    return handler(req, deps);
  };

export const requireUser =
  (handler: Handler): Handler =>
  async (req, deps) => {
    actingUser(req);
    return handler(req, deps);
  };
