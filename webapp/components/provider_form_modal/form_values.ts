// Pure helpers for an Apps form: initial values, what a submit sends, and the
// checks the webapp's own Apps modal makes before calling the App.
import type { AppField, AppForm, FieldValue, FormValues } from '../../wire_types.js';

/** Fields this modal shows; ones the Apps modal would drop are skipped too. */
export function visibleFields(form: AppForm): AppField[] {
  return (form.fields ?? []).filter((field) => field.name && !field.name.includes(' '));
}

/**
 * Values from the form's defaults. After a refresh the App sends the whole form
 * again; a field it left without a value keeps what the user had entered.
 */
export function initialValues(form: AppForm, previous: FormValues = {}): FormValues {
  const values: FormValues = {};
  for (const field of visibleFields(form)) {
    if (field.type === 'markdown') continue;
    const fallback = field.type === 'bool' ? false : field.type === 'text' ? '' : null;
    values[field.name] = field.value ?? previous[field.name] ?? fallback;
  }
  return values;
}

/** What a submit sends: markdown fields send nothing (docs/mattermost.md, "Call responses, bindings and forms"). */
export function submittedValues(form: AppForm, values: FormValues): FormValues {
  const out: FormValues = {};
  for (const field of visibleFields(form)) {
    if (field.type === 'markdown') continue;
    out[field.name] = values[field.name] ?? null;
  }
  return out;
}

function isEmpty(value: FieldValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (typeof value === 'object') return !value.value;
  return false;
}

/** Field name → message for required fields left empty and text outside its length limits. */
export function validate(form: AppForm, values: FormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of visibleFields(form)) {
    const value = values[field.name];
    if (field.is_required && field.type !== 'bool' && isEmpty(value)) {
      errors[field.name] = 'This field is required.';
    } else if (field.type === 'text' && typeof value === 'string' && value !== '') {
      if (field.min_length && value.length < field.min_length) {
        errors[field.name] = `Enter at least ${field.min_length} characters.`;
      } else if (field.max_length && value.length > field.max_length) {
        errors[field.name] = `Enter at most ${field.max_length} characters.`;
      }
    }
  }
  return errors;
}

export function fieldLabel(field: AppField): string {
  return field.modal_label || field.label || field.name;
}
