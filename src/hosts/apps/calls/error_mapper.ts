/**
 * The one place thrown errors become call responses and log fields. A user
 * never sees a stack trace or a secret; an unexpected error gets a reference
 * that an admin finds in the log.
 */
import { randomBytes } from 'node:crypto';
import type { CallResponse } from '../protocol/types.js';
import { error } from '../protocol/responses.js';
import { InputError } from '../protocol/values.js';
import { sharedFailureOf, type SharedFailure } from '../../../core/failure.js';
import { DriverInputError, MattermostApiError } from '@oauth2-connect/driver';
import { safeError } from '../../../log/logger.js';

export interface MappedError {
  response: CallResponse;
  /** Short machine-readable outcome for the log line. */
  code: string;
  /** Extra fields for the log line (no secrets: they still pass the logger's redaction). */
  log: Record<string, unknown>;
}

function mattermostText(err: MattermostApiError): string {
  if (err.status === 0) return `The App could not reach Mattermost (${err.body}). Try again in a moment.`;
  if (err.status === 401 || err.status === 403)
    return "Mattermost refused the App's request: the App may lack a permission, or your session expired. Try again, or ask a system admin to check the App's installation.";
  if (err.status === 500 && /size limit/i.test(err.body)) return 'Mattermost refused to store the data: it is over the 8 KiB limit of the Apps plugin.';
  return `Mattermost could not complete the request (HTTP ${err.status}). Try again in a moment; if it persists, ask a system admin to check the App's log.`;
}

/** The kinds both hosts share (src/core/failure.ts), as call responses. */
function mapShared(failure: SharedFailure): MappedError {
  if (failure.kind === 'refused') {
    const { message, fieldErrors } = failure.error;
    return { response: error(message, fieldErrors), code: 'refused', log: { reason: message } };
  }
  if (failure.kind === 'stored_secret') {
    const { text, code, reason } = failure.problem;
    return { response: error(text), code, log: { reason } };
  }
  const err = failure.error;
  // Which check failed is worth telling (a mix-up, a forged id_token); the detail holds no secret.
  const text = err.code === 'security' && err.adminDetail ? `${err.userMessage} (${err.adminDetail})` : err.userMessage;
  return { response: error(text), code: `oauth_${err.code}`, log: { reason: err.userMessage, detail: err.adminDetail } };
}

export function mapError(err: unknown): MappedError {
  if (err instanceof InputError) {
    return { response: error(err.message, err.field ? { [err.field]: err.message } : undefined), code: 'bad_input', log: { reason: err.message } };
  }
  const shared = sharedFailureOf(err, 'The App');
  if (shared) return mapShared(shared);
  if (err instanceof MattermostApiError) {
    return {
      response: error(mattermostText(err)),
      code: 'mattermost_error',
      log: { status: err.status, method: err.method, api_path: err.path, reason: err.body },
    };
  }
  if (err instanceof DriverInputError) {
    return { response: error(`The App could not store the data: ${err.message}.`), code: 'driver_input', log: { reason: err.message } };
  }
  const ref = randomBytes(4).toString('hex');
  return {
    response: error(`Something went wrong in the App (reference ${ref}). A system admin can find the details in the App's log.`),
    code: 'internal_error',
    log: { ref, error: err instanceof Error ? safeError(err) : typeof err },
  };
}
