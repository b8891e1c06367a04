/** Every admin operation refuses a non-admin itself: a host's guard is not the only line. */
import { UserFacingError } from '../errors.js';
import type { CoreRequest } from '../request.js';

export const NOT_ADMIN = 'Only system admins can manage OAuth2 providers.';

export function requireAdminUser(req: CoreRequest): void {
  if (req.user.isAdmin !== true) throw new UserFacingError(NOT_ADMIN);
}
