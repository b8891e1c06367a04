/**
 * What the webapp does after parsing a typed App command, from reading
 * mattermost/mattermost webapp/channels/src:
 * - `AppCommandParser.composeCommandSubmitCall`: `addDefaultAndReadOnlyValues`
 *   (a field's own value fills in when not typed, or always when readonly),
 *   `getMissingFields` ("Required fields missing"), `composeCallRequest` ("No
 *   submit call in binding or form." without resolvedForm.submit), and
 *   `expandOptions` (a static select becomes its option, matched by value, or
 *   "Unknown option"; a bool becomes true/false);
 * - `executeCommand` in actions/command.ts and `doAppSubmit` in actions/apps.ts:
 *   the call goes to the plugin with `raw_command`; a `form` answer without a
 *   submit is an error, otherwise it is cleaned (cleanForm) and opens the Apps modal.
 * Multi-word display of these errors is left to the caller.
 */
import type { Binding, Call, CallResponse, Field, Form, SelectOption } from '../../../src/hosts/apps/protocol/types.js';
import { cleanForm } from './clean_form.js';
import { parseCommand } from './command_parser.js';

export interface CallExtras {
  raw_command?: string;
  selected_field?: string;
}

/** One call through the plugin's call endpoint, as the given user. */
export type CallFn = (call: Call, values: Record<string, unknown>, extras?: CallExtras) => Promise<CallResponse>;

/** What typing the command leads to: a parser error, a call answer, or an opened modal. */
export type Outcome = { kind: 'parser_error'; error: string } | { kind: 'answer'; response: CallResponse } | { kind: 'modal'; form: Form };

function defaultValue(field: Field): string | undefined {
  if (!field.value) return undefined;
  if (field.type === 'text') return field.value as string;
  if (field.type === 'bool') return 'true';
  if (field.type === 'static_select' || field.type === 'dynamic_select') return (field.value as SelectOption).value;
  return undefined;
}

function expandOptions(form: Form, raw: Record<string, string>): { values: Record<string, unknown>; error?: string } {
  const values: Record<string, unknown> = { ...raw };
  const errors: string[] = [];
  for (const f of form.fields ?? []) {
    const v = raw[f.name];
    if (!v) continue;
    if (f.type === 'static_select') {
      const option = f.options?.find((o) => o.value === v);
      if (!option) errors.push(`Unknown option for field \`${f.name}\`: \`${v}\`.`);
      values[f.name] = option;
    } else if (f.type === 'dynamic_select') values[f.name] = { label: v, value: v };
    else if (f.type === 'bool') values[f.name] = v.toLowerCase() === 'true';
  }
  return errors.length > 0 ? { values, error: errors.map((e) => `${e}\n`).join('') } : { values };
}

/** A form answer as doAppSubmit / doAppFetchForm take it. */
export function acceptForm(response: CallResponse): { form?: Form; error?: string } {
  if (response.type === 'error') return { error: response.text };
  if (response.type !== 'form') return { error: `App response type was not expected. Response type: ${response.type}` };
  if (!response.form?.submit) return { error: 'Response type is `form`, but no valid form was included in response.' };
  return { form: cleanForm(response.form) };
}

/** Types `command` in the message box of a channel: parse, call, and what the user then sees. */
export async function executeCommand(command: string, commandBindings: Binding[], call: CallFn): Promise<Outcome> {
  const result = await parseCommand(command, commandBindings, async (binding) => {
    const source = binding.form?.source;
    if (!source) return { error: 'Form has neither submit nor source.' };
    return acceptForm(await call(source, {}));
  });
  if (!result.ok) return { kind: 'parser_error', error: result.error };
  const { resolvedForm, values: raw } = result.parsed;
  for (const f of resolvedForm.fields ?? []) {
    const fallback = defaultValue(f);
    if (fallback !== undefined && (f.readonly || !(f.name in raw))) raw[f.name] = fallback;
  }
  const missing = (resolvedForm.fields ?? []).filter((f) => f.is_required && !raw[f.name]);
  if (missing.length > 0) return { kind: 'parser_error', error: `Required fields missing: \`${missing.map((f) => f.label).join(', ')}\`.` };
  if (!resolvedForm.submit) return { kind: 'parser_error', error: 'No submit call in binding or form.' };
  const { values, error } = expandOptions(resolvedForm, raw);
  if (error) return { kind: 'parser_error', error };
  const response = await call(resolvedForm.submit, values, { raw_command: command });
  if (response.type !== 'form') return { kind: 'answer', response };
  const accepted = acceptForm(response);
  return accepted.form ? { kind: 'modal', form: accepted.form } : { kind: 'answer', response: { type: 'error', text: accepted.error! } };
}
