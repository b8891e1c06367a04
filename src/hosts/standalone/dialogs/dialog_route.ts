/**
 * POST /standalone/dialog: a submission is parsed (bounded), its state
 * verified (signature, expiry, submitting user, purpose = callback_id), admin
 * rights re-read from Mattermost for admin purposes, then its handler runs,
 * at most once per dialog (single_use.ts). Any refusal answers HTTP 200
 * {"error": "..."} and runs nothing.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { StandaloneDeps } from '../deps.js';
import { failureOf, type Failure } from '../failures.js';
import { dialogUsed, DIALOG_USED, runOnce } from './single_use.js';
import { markRequest } from '../../../metrics/request_counter.js';
import { resignDialogState, verifyDialogState } from './state.js';
import type { DialogPurpose, DialogResponse, DialogSubmission, DialogTable } from './types.js';
import { fromMattermostOnly } from '../mattermost_source.js';

export const DIALOG_BODY_LIMIT = 64 * 1024;

const ID = z.string().regex(/^[a-z0-9]{26}$/);
const VALUE = z.union([z.string().max(8192), z.number(), z.boolean(), z.null(), z.array(z.string().max(1024)).max(100)]);
const schema = z.object({
  type: z.enum(['dialog_submission', 'refresh']).optional(),
  callback_id: z.string().min(1).max(300),
  state: z.string().min(1).max(2048),
  user_id: ID,
  channel_id: z.string().max(64).default(''),
  team_id: z.string().max(64).default(''),
  submission: z.record(z.string().max(300), VALUE).default({}),
  cancelled: z.boolean().default(false),
});

const refuse = (res: Response, text: string) => res.status(200).json({ error: text } satisfies DialogResponse);

async function handleSubmission(deps: StandaloneDeps, table: DialogTable, body: unknown, res: Response): Promise<DialogResponse> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { error: 'This dialog submission is malformed.' };
  const input = parsed.data;
  const purpose = table.get(input.callback_id);
  if (!purpose) return { error: 'This dialog is not one the service opened.' };
  const check = verifyDialogState(deps.dialogKey, input.state, { user_id: input.user_id, purpose: input.callback_id }, deps.now());
  if (!check.ok) {
    deps.refusalLog('dialog refused', { callback_id: input.callback_id.slice(0, 64), user_id: input.user_id, reason: check.reason });
    markRequest(res, { outcome: 'refused' });
    return { error: check.reason };
  }
  if (input.cancelled) return {};
  if (purpose.admin && !(await deps.bot.isSystemAdmin(input.user_id))) {
    markRequest(res, { outcome: 'refused' });
    return { error: 'Only system admins can do this.' };
  }
  const submission = { ...input, state: check.state };
  if (input.type === 'refresh') return refreshed(deps, purpose, submission);
  return runOnce(deps, check.state, () => purpose.handle(submission, deps));
}

/**
 * A field refresh: the purpose's dialog again, under the same dialog's state
 * (same user, purpose, expiry and nonce; the target and what the form shows
 * follow the new form). It changes nothing, so it does not use the dialog up,
 * but a used dialog is not rebuilt.
 */
async function refreshed(deps: StandaloneDeps, purpose: DialogPurpose, submission: DialogSubmission): Promise<DialogResponse> {
  if (!purpose.refresh) return { error: 'This dialog cannot be refreshed.' };
  if (await dialogUsed(deps, submission.state)) return { error: DIALOG_USED };
  const { dialog, target, shown = '' } = await purpose.refresh(submission, deps);
  const state = resignDialogState(deps.dialogKey, submission.state, { target, shown });
  return { type: 'form', form: { ...dialog, callback_id: submission.callback_id, state } };
}

/** A failure as the dialog shows it: beside the fields a refusal names, else as the dialog's error (it stays open). */
function dialogAnswer(failure: Failure): DialogResponse {
  if (failure.fieldErrors && Object.keys(failure.fieldErrors).length > 0) return { errors: failure.fieldErrors };
  return { error: failure.text ?? 'Something went wrong on the service. Nothing was changed.' };
}

export function dialogRoute(deps: StandaloneDeps, table: DialogTable): express.Router {
  const router = express.Router();
  router.post('/dialog', fromMattermostOnly(deps, 'dialog'), express.json({ limit: DIALOG_BODY_LIMIT, type: () => true }), (req: Request, res: Response) => {
    handleSubmission(deps, table, req.body, res).then(
      (answer) => {
        // Every refusal and field error is an HTTP 200 with an error: counted as what it is.
        if ('error' in answer || 'errors' in answer) markRequest(res, { outcome: 'user_error' });
        res.status(200).json(answer);
      },
      (err: unknown) => {
        const failure = failureOf(deps.logger, err, 'dialog');
        markRequest(res, { outcome: failure.status < 500 ? 'user_error' : 'failed' });
        res.status(200).json(dialogAnswer(failure));
      },
    );
  });
  router.use('/dialog', (err: { type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    refuse(res, err.type === 'entity.too.large' ? 'This dialog submission is too large.' : 'This dialog submission is not valid JSON.');
  });
  return router;
}
