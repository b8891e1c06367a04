/** Builders for call responses, so handlers never spell the wire shape by hand. */
import type { CallResponse, Form } from './types.js';

export const ok = (text?: string, data?: unknown): CallResponse =>
  text === undefined && data === undefined ? { type: 'ok' } : { type: 'ok', ...(text !== undefined && { text }), ...(data !== undefined && { data }) };

/** An ok response that also makes the plugin push refresh_bindings to the user. */
export const okRefresh = (text?: string, data?: unknown): CallResponse => ({ ...ok(text, data), refresh_bindings: true }) as CallResponse;

export const error = (text: string, fieldErrors?: Record<string, string>): CallResponse =>
  fieldErrors && Object.keys(fieldErrors).length > 0 ? { type: 'error', text, data: { errors: fieldErrors } } : { type: 'error', text };

export const form = (f: Form): CallResponse => ({ type: 'form', form: f });

/** The bindings call answers ok with the array of top-level bindings in data. */
export const bindingsResponse = (data: unknown[]): CallResponse => ({ type: 'ok', data });

/*
 * Answers serialized once and shared between calls (the bindings of every user
 * in the same state): answerCall sends the stored text instead of serializing
 * the object again. Such an answer is deeply frozen, since calls share it.
 */
const serialized = new WeakMap<CallResponse, string>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function preserialized(response: CallResponse): CallResponse {
  serialized.set(response, JSON.stringify(response));
  // Frozen all the way down: a change to a shared answer would reach every later call in its state.
  return deepFreeze(response);
}

/** The JSON of a preserialized answer; undefined for any other. */
export const serializedText = (response: CallResponse): string | undefined => serialized.get(response);
