/**
 * How the Apps plugin v1.2.2 and the Mattermost webapp clean a form and a
 * command binding before anyone uses it. Written from reading, not copied:
 * - plugin: `cleanForm` / `cleanStaticSelect` in server/proxy/form.go (bindings,
 *   and every form in a call response: `callAppImpl` in invoke_call.go), and
 *   `cleanAppBinding` in server/proxy/invoke_bindings.go;
 * - webapp: `cleanForm` / `cleanBindingRec` in
 *   webapp/channels/src/packages/mattermost-redux/src/utils/apps.ts (the same rules).
 * Used by the fake plugin and by the test-side command parser, so both see what
 * a user of the real server sees.
 */
import type { Binding, Field, Form, SelectOption } from '../../../src/hosts/apps/protocol/types.js';

const oneWord = (s: string) => !/[ \t]/.test(s);

/** Options without a label (or value), or repeating an earlier label or value, are dropped. */
function cleanOptions(options: SelectOption[]): SelectOption[] {
  const labels = new Set<string>();
  const values = new Set<string>();
  return options.filter((o) => {
    const label = o.label || o.value;
    if (!label || labels.has(label) || values.has(o.value)) return false;
    labels.add(label);
    values.add(o.value);
    return true;
  });
}

/** Fields without a one-word name and label (label defaults to name), repeated labels, and selects without options or lookup are dropped. */
export function cleanForm(form: Form): Form {
  const used = new Set<string>();
  const fields: Field[] = [];
  for (const original of form.fields ?? []) {
    const field = { ...original };
    const label = field.label || field.name;
    if (!field.name || !oneWord(field.name) || !oneWord(label) || used.has(label)) continue;
    if (field.type === 'static_select') {
      field.options = cleanOptions(field.options ?? []);
      if (field.options.length === 0) continue;
    }
    if (field.type === 'dynamic_select' && !field.lookup) continue;
    fields.push(field);
    used.add(label);
  }
  return { ...form, fields };
}

/**
 * A command binding and its children: exactly one of submit, form or bindings;
 * a one-word label (defaulting to location); a form with a submit or a source;
 * a parent left without children disappears; repeated labels keep the first.
 */
export function cleanCommandBindings(bindings: Binding[]): Binding[] {
  const used = new Set<string>();
  const out: Binding[] = [];
  for (const original of bindings) {
    const b: Binding = { ...original, label: (original.label || original.location || '').trim() };
    if (!b.label || !oneWord(b.label) || used.has(b.label)) continue;
    const kinds = [b.submit, b.form, b.bindings?.length ? b.bindings : undefined].filter((k) => k !== undefined);
    if (kinds.length !== 1) continue;
    if (b.bindings) {
      b.bindings = cleanCommandBindings(b.bindings);
      if (b.bindings.length === 0) continue;
    }
    if (b.form) {
      if (!b.form.submit && !b.form.source) continue;
      b.form = cleanForm(b.form);
    }
    out.push(b);
    used.add(b.label);
  }
  return out;
}
