/** @jsxRuntime automatic */
// One field of an Apps form, for the types the App's forms use: text (with its
// subtypes, password included), static_select, bool and markdown. Other types
// get a text box whose entry is sent as {label, value}.
import type { AppField, FieldValue, SelectOption } from '../../wire_types.js';
import { CLASS } from '../../styles.js';
import { fieldLabel } from './form_values.js';
import { MarkdownText } from './markdown_text.js';

export interface FormFieldProps {
  field: AppField;
  value: FieldValue | undefined;
  error?: string | undefined;
  disabled: boolean;
  onChange: (value: FieldValue) => void;
}

const INPUT_TYPES: Record<string, string> = { password: 'password', email: 'email', url: 'url', number: 'number', tel: 'tel' };

export function FormField({ field, value, error, disabled, onChange }: FormFieldProps) {
  if (field.type === 'markdown') {
    return field.description ? <MarkdownText className={`${CLASS}-field`} text={field.description} /> : null;
  }
  const id = `${CLASS}-field-${field.name}`;
  const describedBy = [field.description && `${id}-help`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    disabled: disabled || field.readonly === true,
    'aria-invalid': !!error,
    'aria-describedby': describedBy,
    required: field.is_required === true,
  };
  let control;
  if (field.type === 'bool') {
    control = <input type="checkbox" {...common} checked={value === true || value === 'true'} onChange={(e) => onChange(e.target.checked)} />;
  } else if (field.type === 'static_select') {
    const selected = (value as SelectOption | null)?.value ?? '';
    control = (
      <select {...common} value={selected} onChange={(e) => onChange(field.options?.find((o) => o.value === e.target.value) ?? null)}>
        <option value="">{field.hint || 'Choose…'}</option>
        {(field.options ?? []).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    const text = typeof value === 'string' ? value : ((value as SelectOption | null)?.value ?? '');
    const set = (next: string) => onChange(field.type === 'text' ? next : next ? { label: next, value: next } : null);
    control =
      field.subtype === 'textarea' ? (
        <textarea {...common} rows={4} value={text} placeholder={field.hint} onChange={(e) => set(e.target.value)} />
      ) : (
        <input
          {...common}
          type={INPUT_TYPES[field.subtype ?? ''] ?? 'text'}
          value={text}
          placeholder={field.hint}
          autoComplete={field.subtype === 'password' ? 'new-password' : 'off'}
          onChange={(e) => set(e.target.value)}
        />
      );
  }
  return (
    <div className={`${CLASS}-field`}>
      <label htmlFor={id}>
        {fieldLabel(field)}
        {field.is_required && <span aria-hidden="true"> *</span>}
      </label>
      {control}
      {field.description && (
        <span id={`${id}-help`} className={`${CLASS}-help`}>
          {field.description}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className={`${CLASS}-field-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
