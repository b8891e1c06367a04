/** `/oauth2 provider add|edit|remove|test|register|list` and `/oauth2 report`: thin calls into src/core/admin. */
import {
  addProvider,
  editProvider,
  providerAddForm as addForm,
  providerEditForm as editForm,
  removeProvider,
} from '../../../../core/admin/provider_changes.js';
import type { FormRefresh } from '../../../../core/admin/provider_form.js';
import {
  connectionReport,
  listProviders,
  providerRegisterForm as registerForm,
  registerProvider,
  testProvider,
} from '../../../../core/admin/provider_reports.js';
import type { CoreAnswer, CoreDeps, CoreRequest } from '../../../../core/request.js';
import { UserFacingError } from '../../../../core/errors.js';
import { CallPath } from '../../protocol/paths.js';
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

const operation =
  (run: (core: CoreRequest, deps: CoreDeps) => Promise<CoreAnswer>): Handler =>
  async (req, deps) =>
    answerOf(await run(adminCoreRequest(req, deps, targetValues(req)), deps));

const formHandler =
  (make: (core: CoreRequest, refresh: FormRefresh) => Promise<CoreAnswer>, submitPath: string, sourcePath: string): Handler =>
  async (req, deps) => {
    const answer = await make(adminCoreRequest(req, deps, targetValues(req)), refreshOf(req));
    if (!answer.form) throw new UserFacingError('That form is not available.');
    return form(appsForm(answer.form, submitPath, sourcePath));
  };

export const providerAddForm = formHandler(addForm, CallPath.providerAdd, CallPath.providerAddForm);
export const providerEditForm = formHandler(editForm, CallPath.providerEdit, CallPath.providerEditForm);
export const providerRegisterForm = formHandler(registerForm, CallPath.providerRegister, CallPath.providerRegisterForm);
export const providerAdd = operation(addProvider);
export const providerEdit = operation(editProvider);
export const providerRemove = operation(removeProvider);
export const providerTest = operation(testProvider);
export const providerRegister = operation(registerProvider);
export const providerList = operation(listProviders);
export const report = operation(connectionReport);
