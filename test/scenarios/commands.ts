/**
 * Running `/oauth2 ...` as the webapp does: fetch the user's bindings, find the
 * subcommand, fill its form (select values as {label, value}), and call its
 * submit, or fetch its form from the source first.
 */
import type { Binding, CallResponse, Field, Form } from '../../src/apps/types.js';
import type { Backend, ScenarioUser } from './backend.js';

export function findCommand(bindings: Binding[], words: string[]): Binding | undefined {
  let level = bindings.find((b) => b.location === '/command')?.bindings?.find((b) => b.label === 'oauth2');
  for (const word of words) level = level?.bindings?.find((b) => b.label === word);
  return level;
}

function fieldValue(field: Field | undefined, value: unknown): unknown {
  if (typeof value !== 'string' || !field || (field.type !== 'static_select' && field.type !== 'dynamic_select')) return value;
  const option = field.options?.find((o) => o.value === value);
  return option ? { label: option.label, value: option.value } : { label: value, value };
}

export function formValues(form: Form | undefined, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of form?.fields ?? []) if (field.value !== undefined && field.type !== 'markdown') out[field.name] = field.value;
  for (const [name, value] of Object.entries(values)) out[name] = fieldValue(form?.fields?.find((f) => f.name === name), value);
  return out;
}

export class CommandNotOffered extends Error {}

export async function runCommand(backend: Backend, user: ScenarioUser, words: string[], values: Record<string, unknown> = {}): Promise<CallResponse> {
  const binding = findCommand(await backend.bindings(user), words);
  if (!binding) throw new CommandNotOffered(`/oauth2 ${words.join(' ')} is not offered to ${user.username}`);
  if (binding.submit) return backend.call(user, { ...binding.submit, values } as never);
  let form = binding.form;
  if (form?.source && !form.submit) {
    const fetched = await backend.call(user, { ...form.source, values } as never);
    if (fetched.type !== 'form') return fetched;
    form = fetched.form;
  }
  if (!form?.submit) throw new Error(`/oauth2 ${words.join(' ')} has no submit`);
  return backend.call(user, { ...form.submit, values: formValues(form, values) } as never);
}

export const textOf = (r: CallResponse): string => ('text' in r && typeof r.text === 'string' ? r.text : '');
