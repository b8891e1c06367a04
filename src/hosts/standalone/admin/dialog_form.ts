/**
 * A core FormSpec as an interactive dialog (limits in bytes, see
 * docs/mattermost.md, "Interactive dialogs"): title and display names at most 24 bytes, help texts at most 150,
 * text defaults at most 150. Markdown fields become the introduction text;
 * read-only fields are left out (what they show is signed into the state's
 * target); secrets are password fields and never prefilled.
 */
import type { FieldSpec, FormSpec } from '../../../core/form_spec.js';
import type { DialogSpec } from '../bot.js';

type Element = NonNullable<DialogSpec['elements']>[number];

/** At most `max` bytes of UTF-8, cut on a character boundary, with an ellipsis when cut. */
export function fitBytes(value: string, max: number): string {
  if (Buffer.byteLength(value) <= max) return value;
  let out = '';
  for (const ch of value) {
    if (Buffer.byteLength(`${out}${ch}…`) > max) break;
    out += ch;
  }
  return `${out}…`;
}

function dialogElement(field: FieldSpec): Element {
  const base = {
    name: field.name,
    display_name: fitBytes(field.short_label ?? field.label, 24),
    optional: field.required !== true,
    ...(field.help !== undefined && { help_text: fitBytes(field.help, 150) }),
  };
  if (field.type === 'select') {
    const options = (field.options ?? []).map((o) => ({ text: o.label, value: o.value }));
    const chosen = options.some((o) => o.value === field.value) ? { default: String(field.value) } : {};
    return { ...base, type: 'select', options, ...chosen, ...(field.refresh && { refresh: true }) };
  }
  if (field.type === 'bool') return { ...base, type: 'bool', default: field.value === true ? 'true' : 'false' };
  const subtype = field.type === 'password' ? { subtype: 'password' } : field.type === 'url' ? { subtype: 'url' } : {};
  const value = field.type !== 'password' && typeof field.value === 'string' && field.value !== '' ? { default: field.value.slice(0, 150) } : {};
  return { ...base, type: 'text', ...subtype, ...value, ...(field.refresh && { refresh: true }) };
}

/** The dialog (without callback_id and state, which openDialog signs); source_url when a field refreshes the form. */
export function formSpecDialog(spec: FormSpec, sourceUrl: string): Omit<DialogSpec, 'callback_id' | 'state'> {
  const intro = spec.fields.filter((f) => f.type === 'markdown').map((f) => f.help ?? f.label);
  const fields = spec.fields.filter((f) => f.type !== 'markdown' && f.readonly !== true);
  return {
    title: fitBytes(spec.title, 24),
    ...(intro.length > 0 && { introduction_text: intro.join('\n\n') }),
    elements: fields.map(dialogElement),
    submit_label: spec.submit_label ?? 'Save',
    ...(fields.some((f) => f.refresh) && { source_url: sourceUrl }),
  };
}
