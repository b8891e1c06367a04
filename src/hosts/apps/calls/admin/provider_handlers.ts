/** The system admins' commands as call handlers: thin calls into src/core/admin, their forms as Apps forms. */
import type { AdminOperation, FormOperation } from '../../../../core/commands.js';
import type { FormRefresh } from '../../../../core/admin/provider_form.js';
import { UserFacingError } from '../../../../core/errors.js';
import { form } from '../../protocol/responses.js';
import type { CallRequest } from '../../protocol/types.js';
import type { Handler } from '../deps.js';
import { adminCoreRequest, answerOf } from './apps_core.js';
import { appsForm } from './apps_form.js';

const stateOf = (req: CallRequest) => (req.state ?? {}) as { provider?: unknown; preset?: unknown };

/** The provider a form acts on is the one in its call state (set when the form was made), not a typed value. */
function targetValues(req: CallRequest): Record<string, string> {
  const provider = stateOf(req).provider;
  return typeof provider === 'string' ? { provider } : {};
}

/** A source call's refresh: which field changed, and the preset the form showed (kept in the source state). */
export function refreshOf(req: CallRequest): FormRefresh {
  const shown = stateOf(req).preset;
  return { ...(req.selected_field !== undefined && { changed: req.selected_field }), ...(typeof shown === 'string' && { shownPreset: shown }) };
}

export const adminOperation =
  (run: AdminOperation): Handler =>
  async (req, deps) =>
    answerOf(await run(adminCoreRequest(req, deps, targetValues(req)), deps));

/** The form as an Apps form that submits to `submitPath` and refreshes through `sourcePath`. */
export const formHandler =
  (make: FormOperation, submitPath: string, sourcePath: string): Handler =>
  async (req, deps) => {
    const answer = await make(adminCoreRequest(req, deps, targetValues(req)), refreshOf(req));
    if (!answer.form) throw new UserFacingError('That form is not available.');
    return form(appsForm(answer.form, submitPath, sourcePath));
  };
