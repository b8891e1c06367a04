/** A core FormSpec as an Apps form: field types, labels (name) and modal labels, submit and source calls. */
import type { FieldSpec, FormSpec } from '../../../../core/form_spec.js';
import { CALL_EXPAND } from '../../protocol/expand.js';
import { ICON } from '../../protocol/manifest.js';
import type { Field, Form } from '../../protocol/types.js';

function selectField(spec: FieldSpec): Field {
  const options = spec.options ?? [];
  const chosen = options.find((o) => o.value === spec.value) ?? options[0];
  return {
    name: spec.name,
    type: 'static_select',
    label: spec.name.replace(/_/g, '-'),
    modal_label: spec.label,
    ...(spec.required !== undefined && { is_required: spec.required }),
    ...(spec.refresh && { refresh: true }),
    ...(spec.readonly !== undefined && { readonly: spec.readonly }),
    options,
    ...(chosen && { value: chosen }),
  };
}

function appsField(spec: FieldSpec): Field {
  if (spec.type === 'markdown') return { name: spec.name, type: 'markdown', description: spec.help ?? '' };
  if (spec.type === 'select') return selectField(spec);
  if (spec.type === 'bool')
    return {
      name: spec.name,
      type: 'bool',
      label: spec.name.replace(/_/g, '-'),
      modal_label: spec.label,
      ...(spec.value !== undefined && { value: spec.value }),
    };
  return {
    name: spec.name,
    type: 'text',
    label: spec.name.replace(/_/g, '-'),
    modal_label: spec.label,
    ...(spec.type !== 'text' && { subtype: spec.type }),
    ...(spec.required !== undefined && { is_required: spec.required }),
    ...(spec.readonly !== undefined && { readonly: spec.readonly }),
    ...(spec.help !== undefined && { description: spec.help }),
    ...(spec.type !== 'password' && spec.value !== undefined && { value: spec.value }),
  };
}

/** The source call's state remembers the preset shown, so a preset change is told from a plain refresh. */
export function appsForm(spec: FormSpec, submitPath: string, sourcePath: string): Form {
  const preset = spec.fields.find((f) => f.name === 'preset')?.value;
  const target = spec.target !== undefined ? { provider: spec.target } : undefined;
  return {
    title: spec.title,
    icon: ICON,
    submit: { path: submitPath, expand: CALL_EXPAND, ...(target && { state: target }) },
    source: { path: sourcePath, expand: CALL_EXPAND, state: { ...target, ...(typeof preset === 'string' && { preset }) } },
    fields: spec.fields.map(appsField),
  };
}
