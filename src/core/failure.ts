/**
 * What kind of failure an error is, decided the same way on both hosts for
 * the kinds they share: a refusal to tell as it is, a provider's OAuth error,
 * a stored secret that does not open. Anything else (a host's storage or
 * Mattermost client, a bug) is the host's own to classify; each host then
 * renders the kind on its surfaces (a call response, a command answer, a
 * dialog, a page) without deciding again.
 */
import { OAuthError } from '@oauth2-connect/engine';
import { UserFacingError } from './errors.js';
import { secretProblemOf, type SecretProblem } from './secret_problem.js';

export type SharedFailure =
  { kind: 'refused'; error: UserFacingError } | { kind: 'oauth'; error: OAuthError } | { kind: 'stored_secret'; problem: SecretProblem };

/** undefined when err is none of the shared kinds; `service` names who cannot decrypt ("The App"). */
export function sharedFailureOf(err: unknown, service: string): SharedFailure | undefined {
  if (err instanceof UserFacingError) return { kind: 'refused', error: err };
  if (err instanceof OAuthError) return { kind: 'oauth', error: err };
  const problem = secretProblemOf(err, service);
  return problem ? { kind: 'stored_secret', problem } : undefined;
}
