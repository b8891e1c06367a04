/**
 * `/oauth2 connect [provider]`: answers a single-use link bound to the user
 * (the command token was checked, so user_id is Mattermost's word). With
 * several providers and none named, the choose-provider dialog opens.
 */
import { md } from '../../../core/format.js';
import { FLOW_TTL_TEXT } from '../../../core/connect_flow.js';
import { openChooseProvider } from '../dialogs/choose_provider.js';
import { NO_PROVIDERS, providerNames } from '../../../core/providers.js';
import { createConnectLink } from '../signin/links.js';
import { ephemeral, type Subcommand } from './types.js';

export const connectSubcommand: Subcommand = {
  handler: async (request, deps) => {
    const providers = await deps.providers.list();
    if (providers.length === 0) return ephemeral(NO_PROVIDERS);
    const named = request.args[0]?.toLowerCase();
    if (named === undefined && providers.length > 1) {
      const hint = `Which provider? Run \`/oauth2 connect <provider>\` with one of ${providerNames(providers)}.`;
      if (!request.trigger_id) return ephemeral(hint);
      const opened = await openChooseProvider(deps, request.trigger_id, request.user_id, providers).then(
        () => true,
        (err: unknown) => (deps.logger.warn('dialog open failed', { error: err }), false),
      );
      return opened ? {} : ephemeral(hint);
    }
    const stored = named === undefined ? providers[0] : providers.find((p) => p.id === named);
    if (!stored) return ephemeral(`Provider \`${md(named ?? '')}\` is not registered. Registered: ${providerNames(providers)}.`);
    const link = await createConnectLink(deps, request.user_id, stored.id);
    return ephemeral(`[Connect your ${md(stored.display_name)} account](${link}). The link works once, only for you, for ${FLOW_TTL_TEXT}.`);
  },
};
