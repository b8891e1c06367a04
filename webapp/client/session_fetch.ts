// A POST with the user's Mattermost session, carrying the same headers as
// Client4.getOptions({method: 'post'}) from @mattermost/client. We do not bundle
// Client4 itself: it is one class of some 600 methods that minifies to ~80 KB,
// twice this bundle's budget (see webapp/README.md). A unit test compares these
// headers with Client4's.

const CSRF_COOKIE = 'MMCSRF';

/** The CSRF token the server set in the MMCSRF cookie at login, or ''. */
export function csrfTokenFromCookie(cookie: string = globalThis.document?.cookie ?? ''): string {
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return rest.join('=');
  }
  return '';
}

/** The request options of a JSON POST authenticated by the session cookie. */
export function sessionPostOptions(body: string, cookie?: string): RequestInit {
  const headers: Record<string, string> = {
    // The server takes a cookie-authenticated request without this header as a
    // possible CSRF and rejects it.
    'X-Requested-With': 'XMLHttpRequest',
    'Content-Type': 'application/json',
  };
  const csrf = csrfTokenFromCookie(cookie);
  if (csrf) headers['X-CSRF-Token'] = csrf;
  return { method: 'post', body, headers, credentials: 'include' };
}

/** The request options of a GET authenticated by the session cookie (Client4 sends no CSRF token on a GET). */
export function sessionGetOptions(): RequestInit {
  return { method: 'get', headers: { 'X-Requested-With': 'XMLHttpRequest' }, credentials: 'include' };
}
