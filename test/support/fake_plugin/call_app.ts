/**
 * Calling the App as the plugin does (docs/mattermost.md, "Calls: transport
 * and JWT"): POST
 * root_url + path, the HS256 JWT with exp and acting_user_id when use_jwt,
 * the context built from the expand (user-agent context stripped, app_id ""),
 * and the answer handling (200 JSON, 404, other statuses as error text).
 */
import { SignJWT } from 'jose';
import { posix } from 'node:path';
import type { FakeState } from './state.js';

export const PLUGIN = '/plugins/com.mattermost.apps';
export type Expand = Record<string, string | undefined>;
export interface CallSpec {
  path: string;
  expand?: Expand;
  state?: unknown;
}

const LEVELS = ['', 'id', 'summary', 'all'];

function checkExpand(expand: Expand): void {
  for (const [key, level] of Object.entries(expand)) {
    const bare = (level ?? '').replace(/^\+/, '');
    if (!LEVELS.includes(bare)) throw new Error(`"${level}" is not a known expand level (${key})`);
  }
}

export function buildContext(state: FakeState, siteUrl: string, expand: Expand, actingUserId: string | undefined): Record<string, unknown> {
  const app = state.app!;
  checkExpand(expand);
  const appId = app.manifest.app_id as string;
  const ctx: Record<string, any> = {
    app_id: '',
    mattermost_site_url: state.announcedSiteUrl ?? siteUrl,
    app_path: `${PLUGIN}/apps/${appId}`,
    bot_user_id: app.botUserId,
    bot_access_token: state.issueAppToken(app.botUserId, true),
    oauth2: {},
  };
  const user = actingUserId ? state.users.get(actingUserId) : undefined;
  if (user && expand.acting_user) {
    const { id, username, email, roles } = user;
    // As the real plugin's summary level: no is_bot, but auth_service.
    ctx.acting_user = expand.acting_user.endsWith('id') ? { id } : { id, username, email, roles, locale: 'en', auth_service: '' };
  }
  if (user && expand.acting_user_access_token) ctx.acting_user_access_token = state.issueAppToken(user.id, false);
  if (expand.oauth2_app?.endsWith('all')) {
    Object.assign(ctx.oauth2, state.oauth2App ?? {}, {
      connect_url: `${siteUrl}${PLUGIN}/apps/${appId}/oauth2/remote/connect`,
      complete_url: `${siteUrl}${PLUGIN}/apps/${appId}/oauth2/remote/complete`,
    });
  }
  if (user && expand.oauth2_user?.endsWith('all')) {
    const stored = state.oauth2User.get(user.id);
    if (stored !== undefined && stored !== '{}' && stored !== 'null') ctx.oauth2.user = JSON.parse(stored);
  }
  return ctx;
}

async function jwtFor(secret: string, actingUserId: string | undefined, now: number): Promise<string> {
  return new SignJWT(actingUserId ? { acting_user_id: actingUserId } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(Math.floor(now / 1000) + 15 * 60)
    .sign(Buffer.from(secret, 'utf8'));
}

export interface CallExtras {
  values?: Record<string, unknown>;
  raw_command?: string;
  selected_field?: string;
  query?: string;
}

/** Sends one call to the App and decodes its answer the way upstream.Call does. */
export async function callApp(
  state: FakeState,
  siteUrl: string,
  call: CallSpec,
  actingUserId: string | undefined,
  extras: CallExtras = {},
  contextOverride?: Record<string, unknown>,
): Promise<any> {
  const app = state.app!;
  const path = posix.normalize(call.path);
  let context: Record<string, unknown>;
  try {
    context = contextOverride ?? buildContext(state, siteUrl, call.expand ?? {}, actingUserId);
  } catch (err) {
    return { type: 'error', text: (err as Error).message };
  }
  const body = { path, expand: call.expand, ...(call.state !== undefined && { state: call.state }), context, ...extras };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const hasActor = Boolean(contextOverride === undefined && actingUserId && call.expand?.acting_user);
  if (app.useJwt) headers['mattermost-app-authorization'] = `Bearer ${await jwtFor(app.jwtSecret, hasActor ? actingUserId : undefined, state.now())}`;
  const res = await fetch(app.rootUrl.replace(/\/+$/, '') + path, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (res.status === 404) return { type: 'error', text: `${path} is not found` };
  if (res.status !== 200) return { type: 'error', text };
  let decoded: any;
  try {
    decoded = JSON.parse(text);
  } catch {
    return { type: 'error', text: 'failed to decode response' };
  }
  if (decoded.type === undefined || decoded.type === '') decoded.type = 'ok';
  if (decoded.type !== 'error' && decoded.refresh_bindings && actingUserId) state.refreshEvents.push(actingUserId);
  return decoded;
}

/** Paths users may not call through /api/v1/call (checkForForbiddenPath). */
export function forbiddenPaths(manifest: Record<string, any>): string[] {
  const pathOf = (c: unknown, fallback?: string) => (typeof c === 'string' ? c : ((c as { path?: string } | undefined)?.path ?? fallback));
  return [
    '/ping',
    '/webhook',
    pathOf(manifest.get_oauth2_connect_url, '/oauth2/connect'),
    pathOf(manifest.on_oauth2_complete, '/oauth2/complete'),
    ...['on_install', 'on_uninstall', 'on_version_changed', 'on_enable', 'on_disable'].map((k) => pathOf(manifest[k])),
  ].filter((p): p is string => typeof p === 'string');
}
