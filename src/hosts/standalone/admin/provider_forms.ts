/**
 * The forms of the provider admin dialogs: the core's add, edit and register
 * forms, and the removal's confirmation. In the add and register dialogs the
 * short name refreshes the form, because the redirect URI the introduction
 * shows ends with it (the admin registers that exact URI at the provider).
 */
import { providerAddForm, providerEditForm } from '../../../core/admin/provider_changes.js';
import type { FormRefresh } from '../../../core/admin/provider_form.js';
import { namedProvider } from '../../../core/admin/provider_lookup.js';
import { providerRegisterForm } from '../../../core/admin/provider_reports.js';
import { UserFacingError } from '../../../core/errors.js';
import type { FormSpec } from '../../../core/form_spec.js';
import { md } from '../../../core/format.js';
import type { CoreAnswer, CoreRequest } from '../../../core/request.js';
import type { StandaloneDeps } from '../deps.js';

export type AdminDialogMode = 'add' | 'edit' | 'register' | 'remove';

const FORMS: Record<Exclude<AdminDialogMode, 'remove'>, (req: CoreRequest, refresh?: FormRefresh) => Promise<CoreAnswer>> = {
  add: providerAddForm,
  edit: providerEditForm,
  register: providerRegisterForm,
};

export const dialogPurpose = (mode: AdminDialogMode): string => `provider.${mode}`;

function removeForm(id: string, displayName: string): FormSpec {
  const help = `Removing ${md(displayName)} deletes its users' connections and revokes their tokens at the provider.`;
  return {
    title: 'Remove a provider',
    purpose: dialogPurpose('remove'),
    target: id,
    submit_label: 'Remove',
    fields: [{ name: 'confirm', type: 'bool', label: 'Remove it', required: true, help, value: false }],
  };
}

/** The short name refreshes the form where it can be typed (add, register). */
function refreshOnShortName(spec: FormSpec): FormSpec {
  return { ...spec, fields: spec.fields.map((f) => (f.name === 'id' && f.readonly !== true ? { ...f, refresh: true } : f)) };
}

/** The provider type the form shows ('' for the removal), kept in the dialog's state for the next refresh. */
export function shownPreset(spec: FormSpec): string {
  const value = spec.fields.find((f) => f.name === 'preset')?.value;
  return typeof value === 'string' ? value : '';
}

/** The dialog's form for this mode, with the values known so far. */
export async function formFor(deps: StandaloneDeps, mode: AdminDialogMode, req: CoreRequest, refresh?: FormRefresh): Promise<FormSpec> {
  if (mode === 'remove') {
    const stored = namedProvider(req.values, await deps.providers.list(), 'remove');
    return removeForm(stored.id, stored.display_name);
  }
  const answer = await FORMS[mode](req, refresh);
  if (!answer.form) throw new UserFacingError('That form is not available.');
  return mode === 'edit' ? answer.form : refreshOnShortName(answer.form);
}
