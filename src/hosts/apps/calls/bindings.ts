/**
 * The bindings call: computed from the expanded context alone, with no round
 * trip. The plugin asks for them on every channel switch and after each
 * refresh, so the answer, which depends only on the caller's admin flag, the
 * providers' ids and names, and which of them the caller is connected to (or
 * broken at), is rendered and serialized once per such state.
 */
import { computeBindings, type BindingInput } from '../protocol/bindings.js';
import { bindingsResponse, preserialized } from '../protocol/responses.js';
import type { CallResponse } from '../protocol/types.js';
import type { Handler } from './deps.js';
import { isSystemAdmin, providersOf, userStateOf } from './context.js';

/** Distinct states kept; the oldest is dropped beyond (a few KB each). */
export const MAX_RENDERED_BINDINGS = 256;
const rendered = new Map<string, CallResponse>();

const connectionMark = (c: { broken?: string } | undefined) => (!c ? 0 : c.broken ? 2 : 1);

/** The answer for `input`, shared by every call in the same state. */
export function renderedBindings(input: BindingInput): CallResponse {
  // Exactly what computeBindings reads, so two inputs with one key get one answer; each
  // name is length-prefixed, so no name can end one provider's part and begin another's.
  let key = input.isAdmin ? 'admin' : 'user';
  for (const p of input.providers) {
    key += `\n${connectionMark(input.connections[p.id])}${p.id.length}:${p.id}${p.display_name.length}:${p.display_name}`;
  }
  let answer = rendered.get(key);
  if (!answer) {
    answer = preserialized(bindingsResponse(computeBindings(input)));
    if (rendered.size >= MAX_RENDERED_BINDINGS) rendered.delete(rendered.keys().next().value as string);
    rendered.set(key, answer);
  }
  return answer;
}

export const bindings: Handler = async (req) => {
  if (!req.context.acting_user?.id) return bindingsResponse([]);
  const providers = providersOf(req);
  return renderedBindings({ isAdmin: isSystemAdmin(req), providers, connections: userStateOf(req, providers).connections });
};
