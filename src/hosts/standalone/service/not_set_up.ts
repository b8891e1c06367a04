/**
 * What /standalone answers when APP_MATTERMOST_URL is unset: the service
 * starts (so `npm start` works with no configuration), but every standalone
 * endpoint says what to do instead of failing obscurely.
 */
import express, { type Request, type Response } from 'express';
import { failurePage, sendPage } from '../http/pages.js';

export const NOT_SET_UP = 'The standalone host is not set up: set APP_MATTERMOST_URL to the Mattermost Site URL and run oauth2-connect setup.';

export function notSetUpRouter(): express.Router {
  const router = express.Router();
  // Commands and dialogs: Mattermost shows the text of an ephemeral answer.
  router.post('/{*path}', (_req: Request, res: Response) => {
    res.status(503).json({ response_type: 'ephemeral', text: NOT_SET_UP, error: NOT_SET_UP });
  });
  router.get('/{*path}', (_req: Request, res: Response) => {
    sendPage(res, 503, failurePage(NOT_SET_UP));
  });
  return router;
}
