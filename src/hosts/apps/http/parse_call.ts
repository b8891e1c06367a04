/**
 * An incoming CallRequest body, checked by its schema (src/apps/call_schema.ts).
 * The plugin's expanded context is trusted; values, state and everything else
 * are the client's and are not.
 */
import { CallBody, describeCallBodyIssue, isCallBody } from '../protocol/call_schema.js';
import type { CallRequest, Context, Values } from '../protocol/types.js';
import { InputError } from '../protocol/values.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkedByZod(body: unknown): CallBody {
  const parsed = CallBody.safeParse(body);
  if (!parsed.success) throw new InputError(describeCallBodyIssue(parsed.error.issues[0]!));
  return parsed.data;
}

export function parseCallRequest(body: unknown, path: string): CallRequest {
  if (!isObject(body)) throw new InputError('The call body must be a JSON object');
  const data = isCallBody(body) ? body : checkedByZod(body);
  const { context, values, state, raw_command, selected_field, query } = data;
  const request: CallRequest = { path, context: (context ?? {}) as Context };
  if (values) request.values = Object.assign(Object.create(null) as Values, values);
  if (state !== undefined) request.state = state;
  if (typeof raw_command === 'string') request.raw_command = raw_command;
  if (typeof selected_field === 'string') request.selected_field = selected_field;
  if (typeof query === 'string') request.query = query;
  return request;
}
