/**
 * The webapp's Apps modal as a test drives it, from reading mattermost/mattermost
 * webapp/channels/src/components/apps_form/:
 * - apps_form_component.tsx `initFormValues`: each field starts at its `value`, or
 *   false (bool) / null; `getDerivedStateFromProps`: when a new form arrives
 *   (refresh or a form answer to submit), values = {...previous, ...initFormValues(new)},
 *   so a field the new form sends without a value becomes null, and values of
 *   fields the new form no longer has are still sent;
 * - `handleSubmit` sends all values to form.submit; a required field left empty
 *   is refused before any call;
 * - apps_form_container.tsx `refreshOnSelect`: a `refresh` field's change calls
 *   form.source with the values and selected_field; `submitForm`: a `form`
 *   answer replaces the form.
 */
import type { CallResponse, Field, Form } from '../../../src/hosts/apps/protocol/types.js';
import { acceptForm, type CallFn } from './execute_command.js';

function initFormValues(form: Form): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const f of form.fields ?? []) values[f.name] = f.value || (f.type === 'bool' ? false : null);
  return values;
}

export class AppsModal {
  values: Record<string, unknown>;

  constructor(
    public form: Form,
    private readonly call: CallFn,
  ) {
    this.values = initFormValues(form);
  }

  field(name: string): Field | undefined {
    return this.form.fields?.find((f) => f.name === name);
  }

  /** What the field shows: a select's option value, or the text. */
  shown(name: string): unknown {
    const v = this.values[name];
    return v && typeof v === 'object' && 'value' in v ? (v as { value: string }).value : v;
  }

  private replaceForm(form: Form): void {
    this.form = form;
    this.values = { ...this.values, ...initFormValues(form) };
  }

  /** The user picks an option (by value) or types text; a refresh field reloads the form. */
  async set(name: string, input: string | boolean): Promise<void> {
    const field = this.field(name);
    if (!field) throw new Error(`the modal has no field "${name}" (fields: ${this.form.fields?.map((f) => f.name).join(', ')})`);
    if (field.readonly) throw new Error(`field "${name}" is read-only`);
    const option = field.type === 'static_select' ? field.options?.find((o) => o.value === input) : undefined;
    if (field.type === 'static_select' && !option) throw new Error(`field "${name}" offers no option "${String(input)}"`);
    this.values = { ...this.values, [name]: option ?? input };
    if (!field.refresh) return;
    if (!this.form.source) throw new Error('`source` is not defined.');
    const answer = acceptForm(await this.call(this.form.source, this.values, { selected_field: name }));
    if (!answer.form) throw new Error(`refreshing the form failed: ${answer.error}`);
    this.replaceForm(answer.form);
  }

  async fill(values: Record<string, string | boolean>): Promise<void> {
    for (const [name, value] of Object.entries(values)) await this.set(name, value);
  }

  /** Save: the App's answer (a form answer stays in the modal and is returned as is). */
  async submit(): Promise<CallResponse> {
    const empty = (this.form.fields ?? []).filter((f) => f.is_required && f.type !== 'bool' && !this.values[f.name]);
    if (empty.length > 0) return { type: 'error', text: `(refused by the modal) required: ${empty.map((f) => f.name).join(', ')}` };
    if (!this.form.submit) throw new Error('`submit` is not defined');
    const response = await this.call(this.form.submit, this.values);
    if (response.type === 'form') {
      const answer = acceptForm(response);
      if (answer.form) this.replaceForm(answer.form);
    }
    return response;
  }
}
