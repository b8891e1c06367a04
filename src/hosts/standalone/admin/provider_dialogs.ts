/**
 * The provider admin dialogs (add, edit, register, remove): the only way the
 * standalone host changes a provider. The state signs user, purpose and
 * target (the provider id for edit and remove), so a handler acts on the
 * signed target, never on a submitted field naming a provider. The dialog
 * route has re-read the admin rights from Mattermost before a handler runs
 * and lets each dialog run once; the core refuses a non-admin again on its own.
 */
import { addProvider, editProvider, removeProvider } from '../../../core/admin/provider_changes.js';
import { registerProvider } from '../../../core/admin/provider_reports.js';
import { UserFacingError } from '../../../core/errors.js';
import type { CoreRequest, CoreValues } from '../../../core/request.js';
import { isOAuthError } from '../../../oauth/errors.js';
import type { StandaloneDeps } from '../deps.js';
import { dialogUrl, openDialog } from '../dialogs/open_dialog.js';
import { closeDialog, type DialogPurpose, type DialogResponse, type DialogSubmission } from '../dialogs/types.js';
import { adminRequest } from './admin_request.js';
import { formSpecDialog } from './dialog_form.js';
import { type AdminDialogMode, dialogPurpose, formFor, shownPreset } from './provider_forms.js';

export { type AdminDialogMode, dialogPurpose };

/** Opens the mode's dialog with the values known so far; answers the names of the fields it shows. */
export async function openProviderDialog(deps: StandaloneDeps, triggerId: string, req: CoreRequest, mode: AdminDialogMode): Promise<string[]> {
  const spec = await formFor(deps, mode, req);
  const dialog = formSpecDialog(spec, dialogUrl(deps.settings.rootUrl));
  await openDialog(deps, { triggerId, userId: req.user.id, purpose: dialogPurpose(mode), target: spec.target ?? '', shown: shownPreset(spec), dialog });
  return (dialog.elements ?? []).map((e) => e.name);
}

/** Submitted values as CoreValues (empty fields are left out by the client); the signed target names the provider. */
function submittedValues(submission: DialogSubmission): CoreValues {
  const values: CoreValues = {};
  for (const [name, v] of Object.entries(submission.submission)) {
    if (typeof v === 'string' || typeof v === 'boolean') values[name] = v;
    else if (typeof v === 'number') values[name] = String(v);
  }
  if (submission.state.target !== '') values.provider = submission.state.target;
  else delete values.provider;
  return values;
}

/** Edit dialogs leave the (read-only) preset out: it is the stored one. */
async function withStoredPreset(deps: StandaloneDeps, mode: AdminDialogMode, values: CoreValues): Promise<CoreValues> {
  if (mode !== 'edit' || values.preset !== undefined) return values;
  const stored = await deps.providers.get(String(values.provider ?? ''));
  return stored ? { ...values, preset: stored.preset } : values;
}

/** The names of the elements the dialog shows, so field errors land only on those. */
async function shownFields(deps: StandaloneDeps, mode: AdminDialogMode, req: CoreRequest): Promise<string[]> {
  const spec = await formFor(deps, mode, req).catch(() => undefined);
  return (spec ? (formSpecDialog(spec, '').elements ?? []) : []).map((e) => e.name);
}

const OPERATIONS = { add: addProvider, edit: editProvider, register: registerProvider, remove: removeProvider };

/** Field errors on fields the dialog shows stay per field; anything else is the dialog's general error. */
export function dialogFailure(err: unknown, shown: string[]): DialogResponse {
  if (err instanceof UserFacingError) {
    const errors = Object.entries(err.fieldErrors ?? {}).filter(([name]) => shown.includes(name));
    return errors.length > 0 ? { errors: Object.fromEntries(errors) } : { error: err.message };
  }
  if (isOAuthError(err)) return { error: err.userMessage };
  throw err;
}

function providerPurpose(mode: AdminDialogMode): DialogPurpose {
  return {
    admin: true,
    handle: async (submission, deps) => {
      const values = await withStoredPreset(deps, mode, submittedValues(submission));
      const req = adminRequest(deps, submission.user_id, true, values);
      try {
        const answer = await OPERATIONS[mode](req, deps);
        if (answer.text) await req.host.notify(submission.user_id, answer.text);
        return closeDialog();
      } catch (err) {
        return dialogFailure(err, await shownFields(deps, mode, req));
      }
    },
    refresh: async (submission, deps) => {
      const req = adminRequest(deps, submission.user_id, true, submittedValues(submission));
      // The provider type's own values are dropped only when the type is not the one the form showed (the short name refreshes too).
      const spec = await formFor(deps, mode, req, { changed: 'preset', shownPreset: submission.state.shown });
      return { dialog: formSpecDialog(spec, dialogUrl(deps.settings.rootUrl)), target: spec.target ?? '', shown: shownPreset(spec) };
    },
  };
}

export const PROVIDER_DIALOG_MODES: AdminDialogMode[] = ['add', 'edit', 'register', 'remove'];

export const providerDialogPurposes = (): [string, DialogPurpose][] => PROVIDER_DIALOG_MODES.map((mode) => [dialogPurpose(mode), providerPurpose(mode)]);
