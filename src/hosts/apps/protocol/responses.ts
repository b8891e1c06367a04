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
