/**
 * The standalone host's one error path. classifyFailure decides what kind of
 * failure an error is (the core's shared kinds: a refusal, a provider's OAuth
 * error, a stored secret that does not open; and this host's own: its
 * database out of reach, or another reason it cannot serve that /readyz also
 * names (cannot_serve.ts); anything else is unexpected), with the text a user
 * reads and the status of a page. failureOf also writes the one log line it
 * is worth. Each surface (command answer, webapp panel, dialog, page, the
 * connect-failure message) only renders the result.
 */
import { sharedFailureOf } from '../../core/failure.js';
import type { Logger } from '../../log/logger.js';
import { CANNOT_SERVE_TEXT, cannotServeOf, type CannotServe } from './cannot_serve.js';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from './database_unavailable.js';

/** Who cannot decrypt, in the stored-secret text. */
const SERVICE = 'The OAuth2 Connect service';

export interface Failure {
  kind: 'refused' | 'oauth' | 'stored_secret' | 'database_unavailable' | CannotServe | 'unexpected';
  /** What the user reads; none for an unexpected error: each surface says that something went wrong in its own words. */
  text?: string;
  /** The HTTP status of a page showing it. */
  status: number;
  /** A refusal's per-field errors, for a dialog. */
  fieldErrors?: Record<string, string>;
  /** Its log line: a warning for what an admin should know, an error for the unexpected; none for a refusal (the user was told why). */
  log?: { level: 'warn' | 'error'; about?: string; fields: Record<string, unknown> };
}

export function classifyFailure(err: unknown): Failure {
  const shared = sharedFailureOf(err, SERVICE);
  if (shared?.kind === 'refused') {
    const { message, status, fieldErrors } = shared.error;
    return { kind: 'refused', text: message, status, ...(fieldErrors && { fieldErrors }) };
  }
  if (shared?.kind === 'oauth') {
    const { userMessage, code, adminDetail } = shared.error;
    return {
      kind: 'oauth',
      text: userMessage,
      status: 502,
      log: { level: 'warn', about: 'an OAuth error', fields: { outcome: `oauth_${code}`, detail: adminDetail } },
    };
  }
  if (shared?.kind === 'stored_secret') {
    const { text, code, reason } = shared.problem;
    return { kind: 'stored_secret', text, status: 500, log: { level: 'warn', about: 'a stored secret does not open', fields: { outcome: code, reason } } };
  }
  if (isDatabaseUnavailable(err)) {
    const fields = { error: (err as Error).message };
    return { kind: 'database_unavailable', text: DATABASE_UNAVAILABLE, status: 503, log: { level: 'warn', about: 'database unavailable', fields } };
  }
  const cannotServe = cannotServeOf(err);
  if (cannotServe) {
    const fields = { error: (err as Error).message };
    return { kind: cannotServe, text: CANNOT_SERVE_TEXT[cannotServe], status: 503, log: { level: 'warn', about: cannotServe.replaceAll('_', ' '), fields } };
  }
  return { kind: 'unexpected', status: 500, log: { level: 'error', fields: { error: err } } };
}

/** Classifies err and writes its log line: "<where> failed[: about]" with `fields` (which subcommand, which route). */
export function failureOf(logger: Logger, err: unknown, where: string, fields: Record<string, unknown> = {}): Failure {
  const failure = classifyFailure(err);
  if (failure.log) {
    const { level, about, fields: own } = failure.log;
    logger[level](about ? `${where} failed: ${about}` : `${where} failed`, { ...fields, ...own });
  }
  return failure;
}
