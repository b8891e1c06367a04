/**
 * Shape checks of an incoming CallRequest body. The plugin's expanded context
 * is trusted; values, state and everything else are the client's and are not.
 */
import type { CallRequest, Context, Values } from '../apps/types.js';
import { InputError } from '../apps/values.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new InputError(`"${key}" must be a string`);
  return v;
}

function isValue(v: unknown): boolean {
  if (v === null || ['string', 'boolean', 'number'].includes(typeof v)) return true;
  if (Array.isArray(v)) return v.length <= 100 && v.every((o) => isObject(o) && typeof o.value === 'string');
  return isObject(v) && typeof v.value === 'string';
}

function parseValues(raw: unknown): Values | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) throw new InputError('"values" must be an object');
  const values: Values = Object.create(null);
  for (const [key, value] of Object.entries(raw)) {
    if (!isValue(value)) throw new InputError(`value "${key.slice(0, 40)}" has an unexpected type`);
    values[key] = value as Values[string];
  }
  return values;
}

function parseContext(raw: unknown): Context {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw new InputError('"context" must be an object');
  const acting = raw.acting_user;
  if (acting !== undefined && acting !== null && (!isObject(acting) || typeof acting.id !== 'string')) {
    throw new InputError('"context.acting_user" must be a user');
  }
  for (const key of ['mattermost_site_url', 'bot_user_id', 'bot_access_token', 'acting_user_access_token'] as const) {
    if (raw[key] !== undefined && raw[key] !== null && typeof raw[key] !== 'string') throw new InputError(`"context.${key}" must be a string`);
  }
  const oauth2 = raw.oauth2;
  if (oauth2 !== undefined && oauth2 !== null && !isObject(oauth2)) throw new InputError('"context.oauth2" must be an object');
  for (const key of ['connect_url', 'complete_url', 'client_id', 'client_secret', 'remote_root_url'] as const) {
    const value = isObject(oauth2) ? oauth2[key] : undefined;
    if (value !== undefined && value !== null && typeof value !== 'string') throw new InputError(`"context.oauth2.${key}" must be a string`);
  }
  if (isObject(acting) && acting.roles !== undefined && acting.roles !== null && typeof acting.roles !== 'string') throw new InputError('"context.acting_user.roles" must be a string');
  return raw as Context;
}

export function parseCallRequest(body: unknown, path: string): CallRequest {
  if (!isObject(body)) throw new InputError('The call body must be a JSON object');
  const request: CallRequest = { path, context: parseContext(body.context) };
  const values = parseValues(body.values);
  if (values) request.values = values;
  if (body.state !== undefined) request.state = body.state;
  if (body.expand !== undefined && !isObject(body.expand)) throw new InputError('"expand" must be an object');
  for (const key of ['raw_command', 'selected_field', 'query'] as const) {
    const v = optionalString(body, key);
    if (v !== undefined) request[key] = v;
  }
  return request;
}
