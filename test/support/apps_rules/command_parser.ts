/**
 * A test-side copy of the RULES by which the Mattermost webapp turns a typed
 * `/oauth2 ...` into a call, written from reading (not copying)
 * mattermost/mattermost webapp/channels/src/components/suggestion/command_provider/
 * app_command_parser/app_command_parser.ts. It deliberately does not use the
 * App's own helpers: it sees only the bindings, as the webapp does.
 *
 * `ParsedCommand.matchBinding`: words match binding labels case-insensitively,
 * as deep as they go; a non-leaf is "You must select a subcommand."; a leaf with
 * `submit` gets the form {submit}; a leaf with `form` keeps THAT form even when
 * it has no submit: the parser fetches the `source` form (getSubmittableForm)
 * and then overwrites it with binding.form, so a source-only form ends in
 * composeCallRequest's "No submit call in binding or form." The mobile app's
 * parser (mattermost-mobile app/components/autocomplete/slash_suggestion/
 * app_command_parser/app_command_parser.ts) has the same lines.
 *
 * `ParsedCommand.parseForm`: markdown and readonly fields take no input;
 * positional arguments fill fields by `position`; `--flag`/`-flag`/`—flag` name
 * a field by its label; "double" (backslash escapes) and `tick` quotes; a bool
 * flag not followed by true/false is true. Multiselect and the "rest" field
 * (position -1) are not used by this App and not mirrored: they throw.
 */
import type { Binding, Field, Form } from '../../../src/hosts/apps/protocol/types.js';

export interface ParsedCommand {
  binding: Binding;
  resolvedForm: Form;
  /** Raw strings as typed, by field name (before expandOptions). */
  values: Record<string, string>;
}

export type ParseResult = { ok: true; parsed: ParsedCommand } | { ok: false; error: string };

/** getSubmittableForm: fetch the binding's form source; its answer is discarded by matchBinding. */
export type FetchSource = (binding: Binding) => Promise<{ error?: string } | undefined>;

interface Scan {
  text: string;
  i: number;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
const skipSpaces = (s: Scan) => {
  while (isSpace(s.text[s.i])) s.i++;
};

function readWord(s: Scan): string {
  const start = s.i;
  while (s.i < s.text.length && !isSpace(s.text[s.i])) s.i++;
  return s.text.slice(start, s.i);
}

/** StartValue .. EndValue: a bare word, a "quoted" value with backslash escapes, or a `ticked` one. */
function readValue(s: Scan): string {
  const quote = s.text[s.i];
  if (quote !== '"' && quote !== '`') return readWord(s);
  s.i++;
  let out = '';
  for (;;) {
    const c = s.text[s.i];
    if (c === undefined)
      throw new ParseError(quote === '"' ? 'Matching double quote expected before end of input.' : 'Matching tick quote expected before end of input.');
    s.i++;
    if (c === quote) break;
    if (c === '\\' && quote === '"') {
      out += s.text[s.i] ?? '';
      s.i++;
      continue;
    }
    out += c;
  }
  if (out === '') throw new ParseError('Empty values are not allowed');
  return out;
}

class ParseError extends Error {}

/** matchBinding over `command` ("/oauth2 provider add ..."), then parseForm. */
export async function parseCommand(command: string, commandBindings: Binding[], fetchSource: FetchSource): Promise<ParseResult> {
  if (!command.startsWith('/')) return { ok: false, error: 'Command must start with a `/`.' };
  const s: Scan = { text: command, i: 1 };
  let level = commandBindings;
  let binding: Binding | undefined;
  let argsStart = s.i;
  for (;;) {
    skipSpaces(s);
    const wordStart = s.i;
    const word = readWord(s);
    const next = word ? level.find((b) => (b.label ?? '').toLowerCase() === word.toLowerCase()) : undefined;
    if (!next) {
      argsStart = wordStart;
      break;
    }
    binding = next;
    level = next.bindings ?? [];
  }
  if (!binding) return { ok: false, error: `\`${command}\`: No matching command found in this workspace.` };
  if (binding.bindings?.length) return { ok: false, error: 'You must select a subcommand.' };
  let resolvedForm: Form;
  if (binding.submit && !binding.form) resolvedForm = { submit: binding.submit };
  else if (binding.form && !binding.submit) {
    if (!binding.form.submit) {
      const fetched = await fetchSource(binding);
      if (fetched?.error) return { ok: false, error: fetched.error };
    }
    resolvedForm = binding.form;
  } else return { ok: false, error: 'Parsing error: unreachable: invalid binding, neither or both Submit and Form' };
  try {
    const values = parseArguments({ text: command, i: argsStart }, resolvedForm);
    return { ok: true, parsed: { binding, resolvedForm, values } };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, error: err.message };
    throw err;
  }
}

function flagField(s: Scan, fields: Field[]): Field {
  if (s.text[s.i] === '—') s.i++;
  else {
    s.i++;
    if (s.text[s.i] === '-') s.i++;
  }
  const start = s.i;
  while (s.i < s.text.length && !isSpace(s.text[s.i]) && s.text[s.i] !== '=') s.i++;
  const name = s.text.slice(start, s.i);
  const field = fields.find((f) => (f.label ?? '').toLowerCase() === name.toLowerCase());
  if (!field) throw new ParseError(`Command does not accept flag \`${name}\`.`);
  skipSpaces(s);
  if (s.text[s.i] === '=') s.i++;
  skipSpaces(s);
  return field;
}

function parseArguments(s: Scan, form: Form): Record<string, string> {
  const fields = (form.fields ?? []).filter((f) => f.type !== 'markdown' && !f.readonly);
  const values: Record<string, string> = {};
  let position = 0;
  for (;;) {
    skipSpaces(s);
    if (s.i >= s.text.length) return values;
    let field: Field | undefined;
    if (s.text[s.i] === '-' || s.text[s.i] === '—') field = flagField(s, fields);
    else {
      position++;
      field = fields.find((f) => f.position === position);
      if (!field) throw new ParseError('Unable to identify argument.');
    }
    if (field.multiselect || field.position === -1) throw new Error(`field ${field.name}: multiselect and rest fields are not mirrored`);
    const valueStart = s.i;
    const value = s.i < s.text.length ? readValue(s) : '';
    if (field.type === 'bool' && value !== 'true' && value !== 'false') {
      values[field.name] = 'true';
      s.i = valueStart;
      continue;
    }
    values[field.name] = value;
  }
}
