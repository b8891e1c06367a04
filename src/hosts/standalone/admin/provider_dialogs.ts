/**
 * The provider admin dialogs (add, edit, register, remove: the admin commands
 * that open one, provider_forms.ts): the only way the standalone host changes
 * a provider. The state signs user, purpose and target (the provider id for
 * edit and remove), so a handler acts on the signed target, never on a
 * submitted field naming a provider. The dialog route has re-read the admin
 * rights from Mattermost before a handler runs and lets each dialog run once;
 * the core refuses a non-admin again on its own.
 */
import type { AdminCommand } from '../../../core/commands.js';
import { UserFacingError } from '../../../core/errors.js';
import type { CoreRequest, CoreValues } from '../../../core/request.js';
import type { StandaloneDeps } from '../deps.js';
import { dialogUrl, openDialog } from '../dialogs/open_dialog.js';
import { closeDialog, type DialogPurpose, type DialogSubmission } from '../dialogs/types.js';
import { adminRequest } from './admin_request.js';
import { formSpecDialog } from './dialog_form.js';
import { dialogPurpose, formFor, opensDialog, shownPreset } from './provider_forms.js';

/** Opens the command's dialog with the values known so far; answers the names of the fields it shows. */
export async function openProviderDialog(deps: StandaloneDeps, triggerId: string, req: CoreRequest, spec: AdminCommand): Promise<string[]> {
  const form = await formFor(deps, spec, req);
  const dialog = formSpecDialog(form, dialogUrl(deps.settings.rootUrl));
  await openDialog(deps, { triggerId, userId: req.user.id, purpose: dialogPurpose(spec), target: form.target ?? '', shown: shownPreset(form), dialog });
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

/** A form about a stored provider (edit) leaves its read-only preset out: it is the stored one. */
async function withStoredPreset(deps: StandaloneDeps, spec: AdminCommand, values: CoreValues): Promise<CoreValues> {
  if (!spec.provider || !spec.form || values.preset !== undefined) return values;
  const stored = await deps.providers.get(String(values.provider ?? ''));
  return stored ? { ...values, preset: stored.preset } : values;
}

/** The names of the elements the dialog shows, so field errors land only on those. */
async function shownFields(deps: StandaloneDeps, spec: AdminCommand, req: CoreRequest): Promise<string[]> {
  const form = await formFor(deps, spec, req).catch(() => undefined);
  return (form ? (formSpecDialog(form, '').elements ?? []) : []).map((e) => e.name);
}

/** The refusal with only the field errors the dialog can show; the others leave the dialog's general error. */
function onShownFields(err: UserFacingError, shown: string[]): UserFacingError {
  const errors = Object.entries(err.fieldErrors ?? {}).filter(([name]) => shown.includes(name));
  return new UserFacingError(err.message, { status: err.status, ...(errors.length > 0 && { fieldErrors: Object.fromEntries(errors) }) });
}

function providerPurpose(spec: AdminCommand): DialogPurpose {
  return {
    admin: true,
    handle: async (submission, deps) => {
      const values = await withStoredPreset(deps, spec, submittedValues(submission));
      const req = adminRequest(deps, submission.user_id, true, values);
      try {
        const answer = await spec.operation(req, deps);
        if (answer.text) await req.host.notify(submission.user_id, answer.text);
        return closeDialog();
      } catch (err) {
        throw err instanceof UserFacingError && err.fieldErrors ? onShownFields(err, await shownFields(deps, spec, req)) : err;
      }
    },
    refresh: async (submission, deps) => {
      const req = adminRequest(deps, submission.user_id, true, submittedValues(submission));
      // The provider type's own values are dropped only when the type is not the one the form showed (the short name refreshes too).
      const form = await formFor(deps, spec, req, { changed: 'preset', shownPreset: submission.state.shown });
      return { dialog: formSpecDialog(form, dialogUrl(deps.settings.rootUrl)), target: form.target ?? '', shown: shownPreset(form) };
    },
  };
}

/** The dialogs of the admin commands that open one, by purpose. */
export const providerDialogPurposes = (specs: readonly AdminCommand[]): [string, DialogPurpose][] =>
  specs.filter(opensDialog).map((spec) => [dialogPurpose(spec), providerPurpose(spec)]);
