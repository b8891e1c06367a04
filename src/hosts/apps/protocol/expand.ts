/**
 * The one expand the App's user-facing calls ask for: who the user is, their
 * token (to read their KV and write oauth2/user), the providers (oauth2/app
 * data, with connect_url and complete_url) and their summary (oauth2/user).
 * Shared with the webapp plugin, so its calls expand what the handlers need.
 */
export const CALL_EXPAND = {
  acting_user: 'summary',
  acting_user_access_token: 'all',
  oauth2_app: 'all',
  oauth2_user: 'all',
} as const;
