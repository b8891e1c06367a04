/**
 * Commands, dialog submissions and button clicks are Mattermost's own
 * requests: with APP_MATTERMOST_SOURCES set, they are taken only from those
 * addresses (the socket's peer, never a header). A trigger id proves only that
 * Mattermost made it for its user seconds ago, and Mattermost makes one for
 * every command and button a user uses and posts it to whichever integration
 * owns that command or button. Whoever owns one (any user may create a team
 * and a custom command in it) receives the triggers of everyone who uses it,
 * and could relay each once, within the window, to this service with their own
 * team's /oauth2 token. The address is what tells such a relay from
 * Mattermost's own request; behind a reverse proxy, that proxy must admit only
 * Mattermost to these paths instead (the peer here is the proxy).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { sourceCheck } from '../../util/address_sources.js';
import { sendJson } from '../../util/json_answer.js';
import type { StandaloneDeps } from './deps.js';

export const NOT_FROM_MATTERMOST = 'This service takes commands, dialogs and buttons only from its Mattermost server.';

export type Surface = 'command' | 'dialog' | 'button';

/** The refusal in each surface's answer shape (a command response, a dialog submission's, a button's). */
const ANSWERS: Record<Surface, object> = {
  command: { response_type: 'ephemeral', text: NOT_FROM_MATTERMOST },
  dialog: { error: NOT_FROM_MATTERMOST },
  button: { ephemeral_text: NOT_FROM_MATTERMOST },
};

/**
 * The check of one route, built once: true when the request came from elsewhere, and then it has been answered
 * (403, with the text in the route's answer shape) and logged. Nothing of the request has been read.
 */
export function refusedSource(deps: Pick<StandaloneDeps, 'settings' | 'refusalLog'>, surface: Surface): (req: IncomingMessage, res: ServerResponse) => boolean {
  const fromMattermost = sourceCheck(deps.settings.mattermostSources);
  const answer = ANSWERS[surface];
  return (req, res) => {
    const address = req.socket.remoteAddress;
    if (fromMattermost(address)) return false;
    deps.refusalLog(`${surface} refused`, { reason: 'not_from_mattermost', address });
    // The body is left unread: the connection closes after the answer rather than take it in.
    res.setHeader('connection', 'close');
    sendJson(res, 403, answer);
    return true;
  };
}

/** The same check ahead of an express route's body parser. */
export function fromMattermostOnly(deps: Pick<StandaloneDeps, 'settings' | 'refusalLog'>, surface: Surface): RequestHandler {
  const refused = refusedSource(deps, surface);
  return (req, res, next) => {
    if (!refused(req, res)) next();
  };
}
