/**
 * The "connect: choose a provider" dialog, opened by `/oauth2 connect` when
 * several providers exist and none was named. On submit the bot sends the
 * user their single-use connect link by DM (a dialog answer cannot show one).
 * It is the pattern for the other dialogs: a purpose, an opener, a handler.
 */
import type { StoredProvider } from '../../../core/provider_records.js';
import { md } from '../../../core/format.js';
import { FLOW_TTL_TEXT } from '../../../core/connect_flow.js';
import type { StandaloneDeps } from '../deps.js';
import { UserFacingError } from '../../../core/errors.js';
import { createConnectLink } from '../signin/links.js';
import { openDialog } from './open_dialog.js';
import { closeDialog, type DialogPurpose } from './types.js';

export const CHOOSE_PROVIDER = 'connect.choose';

export async function openChooseProvider(deps: StandaloneDeps, triggerId: string, userId: string, providers: StoredProvider[]): Promise<void> {
  await openDialog(deps, {
    triggerId,
    userId,
    purpose: CHOOSE_PROVIDER,
    target: '',
    dialog: {
      title: 'Connect an account',
      submit_label: 'Connect',
      elements: [
        {
          name: 'provider',
          display_name: 'Provider',
          type: 'select',
          options: providers.slice(0, 100).map((p) => ({ text: p.display_name.slice(0, 64), value: p.id })),
        },
      ],
    },
  });
}

export const chooseProvider: DialogPurpose = {
  admin: false,
  handle: async (submission, deps) => {
    const id = submission.submission.provider;
    if (typeof id !== 'string' || id === '') throw new UserFacingError('Choose a provider.', { fieldErrors: { provider: 'Choose a provider.' } });
    const stored = await deps.providers.get(id);
    if (!stored) throw new UserFacingError('', { fieldErrors: { provider: 'This provider is not registered (any more).' } });
    const link = await createConnectLink(deps, submission.user_id, stored.id);
    await deps.bot.dm(
      submission.user_id,
      `[Connect your ${md(stored.display_name)} account](${link}). The link works once, only for you, for ${FLOW_TTL_TEXT}.`,
    );
    return closeDialog();
  },
};
