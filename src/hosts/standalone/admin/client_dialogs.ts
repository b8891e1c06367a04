/**
 * The token API clients' dialogs: add (name, providers, scopes, sources,
 * rate), rotate and remove (each confirmed, the client signed into the state
 * as its target), and the credential's one showing. A new or rotated
 * credential is shown only in the dialog that follows the submission (a form
 * Mattermost opens for that admin alone, v11.1+): never in a post, a command
 * answer or a log line.
 */
import { clientAdd, clientRemove, clientRotate, type IssuedCredential } from '../../../core/token_api/client_admin.js';
import { DEFAULT_RATE_PER_MINUTE } from '../../../core/token_api/client_input.js';
import { UserFacingError } from '../../../core/errors.js';
import { md } from '../../../core/format.js';
import type { CoreAnswer, CoreRequest, CoreValues } from '../../../core/request.js';
import type { AdminDeps } from '../../../core/admin/provider_secrets.js';
import type { DialogSpec } from '../bot.js';
import type { StandaloneDeps } from '../deps.js';
import { openDialog } from '../dialogs/open_dialog.js';
import { signDialogState } from '../dialogs/state.js';
import { closeDialog, type DialogPurpose, type DialogResponse, type DialogSubmission } from '../dialogs/types.js';
import { adminRequest } from './admin_request.js';

export const CLIENT_DIALOGS = { add: 'client.add', rotate: 'client.rotate', remove: 'client.remove', shown: 'client.shown' } as const;

type Dialog = Omit<DialogSpec, 'callback_id' | 'state'>;

async function addDialog(deps: StandaloneDeps, values: CoreValues): Promise<Dialog> {
  const providers = (await deps.providers.list()).map((p) => `${p.id} (${p.scopes.join(' ') || 'no scopes'})`).join('; ');
  const text = (name: string, display_name: string, help_text: string, optional = true) => {
    const value = values[name];
    return {
      name,
      display_name,
      type: 'text' as const,
      optional,
      help_text,
      ...(typeof value === 'string' && value !== '' && { default: value.slice(0, 150) }),
    };
  };
  return {
    title: 'Add a token API client',
    introduction_text: `An integration that may ask for users' tokens, each user allowing it first. Registered providers and their scopes: ${md(providers || 'none')}.`,
    elements: [
      text('name', 'Name', 'Shown to users when it asks for their consent.', false),
      text('providers', 'Providers', 'The provider ids it may ask for, separated by spaces.', false),
      text('scopes', 'Scopes', "Separated by spaces, within the providers' scopes. Empty: all of them."),
      text('sources', 'Source addresses', 'CIDRs it may call from, e.g. 10.0.0.0/8. Empty: anywhere.'),
      text('rate_per_minute', 'Requests per minute', `For the whole service, all replicas together. Default ${DEFAULT_RATE_PER_MINUTE}.`),
    ],
    submit_label: 'Register',
  };
}

const confirmDialog = (title: string, text: string, submit: string): Dialog => ({
  title,
  introduction_text: text,
  elements: [{ name: 'confirm', display_name: 'Confirm', type: 'bool', optional: false, help_text: 'Check to confirm.', default: 'false' }],
  submit_label: submit,
});

/** Opens the dialog of `client add|rotate|remove` for the admin who typed it (target: the client, '' for add). */
export async function openClientDialog(
  deps: StandaloneDeps,
  triggerId: string,
  req: CoreRequest,
  action: 'add' | 'rotate' | 'remove',
  clientId: string,
): Promise<void> {
  const name = `\`${clientId}\``;
  const dialog =
    action === 'add'
      ? await addDialog(deps, req.values)
      : action === 'rotate'
        ? confirmDialog('Rotate a credential', `Replace the credential of ${name}? The current one stops working at once.`, 'Rotate')
        : confirmDialog('Remove a client', `Remove ${name}? Its credential stops working and every grant users gave it ends.`, 'Remove');
  await openDialog(deps, { triggerId, userId: req.user.id, purpose: CLIENT_DIALOGS[action], target: clientId, dialog });
}

/** The one showing of a credential: the dialog that replaces the submitted one. */
function credentialForm(deps: StandaloneDeps, userId: string, issued: IssuedCredential): DialogResponse {
  const state = signDialogState(deps.dialogKey, { user_id: userId, purpose: CLIENT_DIALOGS.shown, target: issued.client_id }, deps.now());
  const form: DialogSpec = {
    callback_id: CLIENT_DIALOGS.shown,
    state,
    title: 'Client credential',
    introduction_text: [
      `The credential of **${md(issued.client_name)}** (\`${issued.client_id}\`). Copy it now: it is shown only this once and cannot be read again.`,
      '```',
      issued.credential,
      '```',
      'The integration sends it as `Authorization: Bearer <credential>` (see the token API documentation).',
    ].join('\n'),
    elements: [],
    submit_label: 'Done',
  };
  return { type: 'form', form };
}

function values(submission: DialogSubmission): CoreValues {
  const out: CoreValues = {};
  for (const [name, v] of Object.entries(submission.submission)) {
    if (typeof v === 'string' || typeof v === 'boolean') out[name] = v;
    else if (typeof v === 'number') out[name] = String(v);
  }
  return out;
}

const confirmed = (submission: DialogSubmission): boolean => [true, 'true'].includes(submission.submission.confirm as never);

type Operation = (req: CoreRequest, deps: AdminDeps) => Promise<CoreAnswer>;

function purpose(operation: Operation, confirm: boolean): DialogPurpose {
  return {
    admin: true,
    handle: async (submission, deps) => {
      if (confirm && !confirmed(submission)) throw new UserFacingError('Nothing was changed.', { fieldErrors: { confirm: 'Check this to confirm.' } });
      const typed = values(submission);
      const req = adminRequest(deps, submission.user_id, true, confirm ? { client: submission.state.target } : typed);
      const answer = await operation(req, deps);
      if (answer.text) await req.host.notify(submission.user_id, answer.text);
      const issued = answer.data as IssuedCredential | undefined;
      return issued?.credential ? credentialForm(deps, submission.user_id, issued) : closeDialog();
    },
  };
}

const shown: DialogPurpose = { admin: false, handle: async () => closeDialog() };

export const clientDialogPurposes = (): Array<[string, DialogPurpose]> => [
  [CLIENT_DIALOGS.add, purpose(clientAdd, false)],
  [CLIENT_DIALOGS.rotate, purpose(clientRotate, true)],
  [CLIENT_DIALOGS.remove, purpose(clientRemove, true)],
  [CLIENT_DIALOGS.shown, shown],
];
