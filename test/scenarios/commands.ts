/**
 * Running `/oauth2 ...` as a person does in the webapp: the typed text goes
 * through the webapp's command-parser rules (test/support/apps_rules, written
 * from the real parser), and a form answer opens the Apps modal, which is
 * filled field by field (a refresh field reloads the form) and saved.
 */
import type { Binding, CallResponse, Form } from '../../src/hosts/apps/protocol/types.js';
import { AppsModal } from '../support/apps_rules/apps_modal.js';
import { executeCommand, type CallFn, type Outcome } from '../support/apps_rules/execute_command.js';
import type { Backend, ScenarioUser } from './backend.js';

export function findCommand(bindings: Binding[], words: string[]): Binding | undefined {
  let level = bindings.find((b) => b.location === '/command')?.bindings?.find((b) => b.label === 'oauth2');
  for (const word of words) level = level?.bindings?.find((b) => b.label === word);
  return level;
}

export class CommandNotOffered extends Error {}

export const callAs =
  (backend: Backend, user: ScenarioUser): CallFn =>
  (call, values, extras = {}) =>
    backend.call(user, { ...call, values, ...extras } as never);

/** Types `command` (e.g. "/oauth2 provider remove idp --confirm") as `user`. */
export async function typeCommand(backend: Backend, user: ScenarioUser, command: string): Promise<Outcome> {
  const bindings = (await backend.bindings(user)).find((b) => b.location === '/command')?.bindings ?? [];
  return executeCommand(command, bindings, callAs(backend, user));
}

export const openModal = (backend: Backend, user: ScenarioUser, form: Form) => new AppsModal(form, callAs(backend, user));

/** A typed argument: bare when it is one plain word, else in double quotes with backslash escapes. */
const quoted = (v: string) => (/^[^\s"`\\-][^\s]*$/.test(v) ? v : `"${v.replace(/["\\]/g, '\\$&')}"`);

/**
 * `/oauth2 <words>` with `values`: those the command's own form takes are typed
 * as `--label value`; the rest are entered in the modal the command opens (in
 * the order given), which is then saved. Without modal values, an opened modal
 * comes back as a `form` answer. Parser errors come back as error answers.
 */
export async function runCommand(backend: Backend, user: ScenarioUser, words: string[], values: Record<string, unknown> = {}): Promise<CallResponse> {
  const binding = findCommand(await backend.bindings(user), words);
  if (!binding) throw new CommandNotOffered(`/oauth2 ${words.join(' ')} is not offered to ${user.username}`);
  const flags: string[] = [];
  const modalValues: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(values)) {
    const field = binding.form?.fields?.find((f) => f.name === name);
    if (field) flags.push(`--${field.label ?? name} ${quoted(String(value))}`);
    else modalValues[name] = value as string | boolean;
  }
  const outcome = await typeCommand(backend, user, ['/oauth2', ...words, ...flags].join(' '));
  if (outcome.kind === 'parser_error') return { type: 'error', text: `(webapp parser) ${outcome.error}` };
  if (outcome.kind === 'answer') {
    if (Object.keys(modalValues).length > 0)
      throw new Error(`/oauth2 ${words.join(' ')} opened no modal for ${Object.keys(modalValues).join(', ')}: ${JSON.stringify(outcome.response)}`);
    return outcome.response;
  }
  if (Object.keys(modalValues).length === 0) return { type: 'form', form: outcome.form };
  const modal = openModal(backend, user, outcome.form);
  await modal.fill(modalValues);
  return modal.submit();
}

export const textOf = (r: CallResponse): string => ('text' in r && typeof r.text === 'string' ? r.text : '');
