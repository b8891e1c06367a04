/**
 * The service's browser cookies: the session made after Sign in with
 * Mattermost (Path=/standalone, 30 minutes) and the sign-in binder that ties a
 * Mattermost sign-in to the browser that started it (Path=/standalone/signin,
 * as long as a connect lasts). Both HttpOnly, SameSite=Lax (the returns from Mattermost and the
 * provider are top-level GET navigations), Secure when the root URL is https.
 */
import type { Request, Response } from 'express';
import { FLOW_TTL_MS } from '../../../core/connect_flow.js';
import { RANDOM_VALUE } from '../secrets.js';

export const SESSION_COOKIE = 'oauth2_connect_session';
export const SIGNIN_COOKIE = 'oauth2_connect_signin';
export const SESSION_TTL_MS = 30 * 60 * 1000;
export const SIGNIN_TTL_MS = FLOW_TTL_MS;

/** A cookie's value when it has the shape of one of ours; anything else is ignored. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie') ?? '';
  if (header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      const value = part.slice(at + 1).trim();
      return RANDOM_VALUE.test(value) ? value : undefined;
    }
  }
  return undefined;
}

function options(rootUrl: string, path: string, maxAgeMs: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: rootUrl.startsWith('https:'), path, maxAge: maxAgeMs };
}

export function setSessionCookie(res: Response, rootUrl: string, value: string): void {
  res.cookie(SESSION_COOKIE, value, options(rootUrl, '/standalone', SESSION_TTL_MS));
}

export function setSigninCookie(res: Response, rootUrl: string, value: string): void {
  res.cookie(SIGNIN_COOKIE, value, options(rootUrl, '/standalone/signin', SIGNIN_TTL_MS));
}

export function clearSigninCookie(res: Response, rootUrl: string): void {
  const { maxAge: _maxAge, ...rest } = options(rootUrl, '/standalone/signin', 0);
  res.clearCookie(SIGNIN_COOKIE, rest);
}
