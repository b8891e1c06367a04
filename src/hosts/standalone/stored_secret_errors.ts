/**
 * A stored secret that does not open (its key missing or wrong, copied from
 * another row, or of a refused format), as the standalone host's error
 * mappers (command, dialog, browser pages, panel) tell it: the same text the
 * Apps host gives, instead of "something went wrong"; the detail goes to the
 * log for the admin.
 */
import { secretProblemOf } from '../../core/secret_problem.js';
import type { Logger } from '../../log/logger.js';

const SERVICE = 'The OAuth2 Connect service';

export const isStoredSecretProblem = (err: unknown): boolean => secretProblemOf(err, SERVICE) !== undefined;

/** The user's text for an error isStoredSecretProblem accepts (any other gets the plain "went wrong"); logs why, naming where. */
export function storedSecretText(logger: Logger, err: unknown, where: string): string {
  const problem = secretProblemOf(err, SERVICE);
  logger.warn(`${where} failed: a stored secret does not open`, problem ? { outcome: problem.code, reason: problem.reason } : { error: err });
  return problem?.text ?? 'Something went wrong on the service. Try again, or ask an admin to look at its log.';
}
