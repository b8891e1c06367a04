/**
 * A typed client of the Apps plugin REST API (v1.2.2): kv, oauth2/app and
 * oauth2/user. Usable on its own by any App. The token decides the namespace:
 * KV keys are scoped per (app, token user), so the bot token sees app-global
 * data and a user token that user's own.
 */
import { DriverInputError } from './errors.js';
import { parseJson, send, type HttpOptions } from './http.js';

export const APPS_API = '/plugins/com.mattermost.apps/api/v1';
/** MaxKVStoreValueLength in the plugin; oauth2/app and oauth2/user use the same limit. */
export const MAX_VALUE_BYTES = 8192;

/** Body of oauth2/app: the App's remote OAuth2 client (replaced whole on each store). */
export interface OAuth2App {
  client_id: string;
  client_secret: string;
  remote_root_url?: string;
  data?: unknown;
}

function serialize(value: unknown, what: string): string {
  let body: string | undefined;
  try {
    body = JSON.stringify(value);
  } catch {
    throw new DriverInputError(`${what} is not serializable as JSON`);
  }
  if (body === undefined) throw new DriverInputError(`${what} is not serializable as JSON`);
  const bytes = Buffer.byteLength(body);
  if (bytes > MAX_VALUE_BYTES) throw new DriverInputError(`${what} is ${bytes} bytes; the Apps plugin stores at most ${MAX_VALUE_BYTES}`);
  return body;
}

function kvPath(key: string, prefix = ''): string {
  if (prefix.length > 2) throw new DriverInputError(`KV prefix "${prefix}" is longer than 2 characters`);
  if (prefix.includes('/')) throw new DriverInputError('KV prefix must not contain "/"');
  if (key === '' || key.includes('/')) throw new DriverInputError('KV key must be non-empty and contain no "/"');
  const encodedKey = encodeURIComponent(key);
  return `${APPS_API}/kv/${prefix ? `${encodeURIComponent(prefix)}/` : ''}${encodedKey}`;
}

export class AppsPluginClient {
  constructor(private readonly options: HttpOptions) {}

  /** GET kv: the stored JSON, or undefined when unset (the plugin answers {} then). */
  async kvGet<T>(key: string, prefix = ''): Promise<T | undefined> {
    const path = kvPath(key, prefix);
    const text = await send(this.options, { method: 'GET', path });
    const value = parseJson('GET', path, text || '{}');
    const empty = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
    return empty ? undefined : (value as T);
  }

  /** PUT kv: JSON of at most 8 KiB, checked before sending. Returns whether the value changed. */
  async kvSet(key: string, value: unknown, prefix = ''): Promise<boolean> {
    const path = kvPath(key, prefix);
    const text = await send(this.options, { method: 'PUT', path, body: serialize(value, `KV value "${key}"`) });
    const answer = text ? (parseJson('PUT', path, text) as { changed?: boolean }) : {};
    return answer.changed ?? true;
  }

  async kvDelete(key: string, prefix = ''): Promise<void> {
    await send(this.options, { method: 'DELETE', path: kvPath(key, prefix) });
  }

  /** Store the App's remote OAuth2 client. Needs a system admin's acting_user_access_token. */
  async storeOAuth2App(app: OAuth2App): Promise<void> {
    await send(this.options, { method: 'POST', path: `${APPS_API}/oauth2/app`, body: serialize(app, 'oauth2/app') });
  }

  /** Store the acting user's OAuth2 data. Needs a (non-bot) acting_user_access_token. */
  async storeOAuth2User(data: unknown): Promise<void> {
    await send(this.options, { method: 'POST', path: `${APPS_API}/oauth2/user`, body: serialize(data, 'oauth2/user') });
  }

  /** The acting user's OAuth2 data, or undefined when nothing was stored (empty body). */
  async getOAuth2User<T>(): Promise<T | undefined> {
    const path = `${APPS_API}/oauth2/user`;
    const text = await send(this.options, { method: 'GET', path });
    if (text.trim() === '') return undefined;
    const value = parseJson('GET', path, text);
    return value === null ? undefined : (value as T);
  }
}
