/**
 * The forms of the provider admin dialogs: the core's form of a command that
 * has one (add, edit, register), and a confirmation for one that asks to
 * confirm (remove). In the add and register dialogs the short name refreshes
 * the form, because the redirect URI the introduction shows ends with it (the
 * admin registers that exact URI at the provider).
 */
import { commandWords, type AdminCommand } from '../../../core/commands.js';
import type { FormRefresh } from '../../../core/admin/provider_form.js';
import { namedProvider } from '../../../core/admin/provider_lookup.js';
import { UserFacingError } from '../../../core/errors.js';
import type { FormSpec } from '../../../core/form_spec.js';
import { capitalized, md } from '../../../core/format.js';
import type { CoreRequest } from '../../../core/request.js';
import type { StandaloneDeps } from '../deps.js';

/** Changes to providers go through a dialog: the commands that have a form or ask to confirm. */
export const opensDialog = (spec: AdminCommand): boolean => spec.form !== undefined || spec.confirm !== undefined;

/** The dialog's purpose (its callback_id): `provider.edit` for `provider edit`. */
export const dialogPurpose = (spec: AdminCommand): string => commandWords(spec).join('.');

function confirmForm(spec: AdminCommand, id: string, displayName: string, warning: string): FormSpec {
  const verb = commandWords(spec).at(-1) ?? spec.name;
  return {
    title: `${capitalized(verb)} a provider`,
    purpose: dialogPurpose(spec),
    target: id,
    submit_label: capitalized(verb),
    fields: [
      {
        name: 'confirm',
        type: 'bool',
        label: `${capitalized(verb)} it`,
        required: true,
        help: `${capitalized(verb)} ${md(displayName)}? ${warning}`,
        value: false,
      },
    ],
  };
}

/** The short name refreshes the form where it can be typed (add, register). */
function refreshOnShortName(spec: FormSpec): FormSpec {
  return { ...spec, fields: spec.fields.map((f) => (f.name === 'id' && f.readonly !== true ? { ...f, refresh: true } : f)) };
}

/** The provider type the form shows ('' for a confirmation), kept in the dialog's state for the next refresh. */
export function shownPreset(spec: FormSpec): string {
  const value = spec.fields.find((f) => f.name === 'preset')?.value;
  return typeof value === 'string' ? value : '';
}

/** The dialog's form for this command, with the values known so far. */
export async function formFor(deps: StandaloneDeps, spec: AdminCommand, req: CoreRequest, refresh?: FormRefresh): Promise<FormSpec> {
  if (!spec.form) {
    const stored = namedProvider(req.values, await deps.providers.list(), commandWords(spec).at(-1) ?? spec.name);
    return confirmForm(spec, stored.id, stored.display_name, spec.confirm ?? '');
  }
  const answer = await spec.form(req, refresh);
  if (!answer.form) throw new UserFacingError('That form is not available.');
  // A form about a stored provider shows its short name read-only.
  return spec.provider ? answer.form : refreshOnShortName(answer.form);
}
