/**
 * Hidden subcommands for the webapp plugin's "Connected accounts" panel, run
 * through `POST /api/v4/commands/execute` with the user's own session: Mattermost
 * checks the session and sends the team's command token, so the user id is
 * Mattermost's word and nothing the browser says is trusted, no secret lives in
 * the browser and no CORS is needed. Each answers an ephemeral CommandResponse
 * with EMPTY text (Mattermost posts nothing: docs/mattermost.md, "The answer") and the
 * result in props[PANEL_PROP], shaped as an Apps call response ({type, text,
 * data}) so the plugin handles one shape for both hosts. Not listed in help.
 *
 * The panel's list and disconnect are the core's operations (the same the Apps
 * host's panel and `/oauth2 status` / `disconnect` run); only the connect link
 * is this host's own (Sign in with Mattermost, then the provider). This host
 * serves the token API, so its list carries each provider's grants, and a
 * grant's Revoke runs the core's `/oauth2 grants revoke` for the user
 * Mattermost vouched for: only their own grants can be seen or revoked.
 */
import { connectionViewOf } from '../../../core/connection_view.js';
import { userView } from '../../../core/user_connections.js';
import { disconnect } from '../../../core/disconnect.js';
import { grantsRevoke, withGrants } from '../../../core/token_api/grants.js';
import { UserFacingError } from '../../../core/errors.js';
import type { PanelProvider } from '../../../core/panel_provider.js';
import { standaloneCoreRequest } from '../signin/core_request.js';
import type { CommandResponse, Subcommand, SubcommandHandler } from '../commands/types.js';
import { failureOf } from '../failures.js';
import { createConnectLink } from '../signin/links.js';
import { registeredProvider } from '../providers.js';

/** The props key of the answer; the webapp plugin reads the same key. */
export const PANEL_PROP = 'oauth2_connect';

export type PanelAnswer = { type: 'ok'; text?: string; data?: unknown } | { type: 'error'; text: string };

/** The `data` of `__panel`: the Apps host's PanelData without its connect_url. */
export interface PanelView {
  providers: PanelProvider[];
  is_admin: boolean;
}

export const panelResponse = (answer: PanelAnswer): CommandResponse => ({ response_type: 'ephemeral', text: '', props: { [PANEL_PROP]: answer } });

/** Errors stay in props too: a text would be posted in the channel as an ephemeral message. `readsUserView`: see Subcommand. */
function hidden(run: SubcommandHandler, readsUserView = false): Subcommand {
  const handler: SubcommandHandler = async (request, deps) => {
    try {
      return await run(request, deps);
    } catch (err) {
      const failure = failureOf(deps.logger, err, 'panel command', { subcommand: request.subcommand });
      return panelResponse({
        type: 'error',
        text: failure.text ?? 'Something went wrong on the OAuth2 Connect service. Try again, or ask an admin to look at its log.',
      });
    }
  };
  return { handler, hidden: true, readsUserView };
}

function providerArg(args: string[], at = 0): string {
  const id = args[at]?.toLowerCase();
  if (!id) throw new UserFacingError('Which provider? The panel sent no provider id.');
  return id;
}

/** `__panel`, `__connect <id>`, `__disconnect <id>`, `__revoke <client> <provider>`; registered with the core's user subcommands. */
export const panelSubcommands: Readonly<Record<string, Subcommand>> = {
  __panel: hidden(async (request, deps) => {
    // is_admin only decides what the panel shows; the admin commands it points to re-read the rights.
    const isAdmin = await deps.adminView.shownAsAdmin(request.user_id);
    const req = standaloneCoreRequest(deps, request.user_id, isAdmin, {});
    const read = await userView(req);
    const providers = await withGrants(req, await connectionViewOf(read, deps), read.grants);
    const view: PanelView = { providers, is_admin: isAdmin };
    return panelResponse({ type: 'ok', data: view });
  }, true),
  __connect: hidden(async (request, deps) => {
    const stored = await registeredProvider(deps, providerArg(request.args));
    const link = await createConnectLink(deps, request.user_id, stored.id);
    return panelResponse({ type: 'ok', data: { connect_url: link, provider: stored.id } });
  }),
  __disconnect: hidden(async (request, deps) => {
    const values = { provider: providerArg(request.args) };
    const answer = await disconnect(standaloneCoreRequest(deps, request.user_id, false, values), deps);
    return panelResponse({ type: 'ok', ...(answer.text !== undefined && { text: answer.text }) });
  }, true),
  __revoke: hidden(async (request, deps) => {
    const client = request.args[0]?.toLowerCase();
    if (!client) throw new UserFacingError('Which integration? The panel sent no client id.');
    if (!deps.tokenApi) throw new UserFacingError('This OAuth2 Connect service serves no token API, so it keeps no grants.');
    // The command's answer is markdown for a post; the panel words its own notice.
    await grantsRevoke(standaloneCoreRequest(deps, request.user_id, false, { client, provider: providerArg(request.args, 1) }), deps);
    return panelResponse({ type: 'ok' });
  }),
};
