/**
 * What a user reads when a stored secret does not open, the same on both
 * hosts: the TokenCipherError's reason decides (a store may wrap it, as its
 * `cause`). The text says what to do and that nothing was deleted; it never
 * holds a key, a sealed value or a plaintext.
 */
import { WRONG_BINDING_MESSAGE, type TokenCipherError } from '@oauth2-connect/engine';

export interface SecretProblem {
  /** For the log line's outcome. */
  code: 'wrong_binding' | 'unbound_refused' | 'key_error';
  /** For the user. */
  text: string;
  /** For the admin, in the log: names the key id and the row, never a value. */
  reason: string;
}

/** The engine names its cipher's option; the service names the setting an admin changes. */
const UNBOUND_REFUSED_TEXT =
  'A stored secret is in the first sealed format (v1, not bound to its user, provider or setting), which this service refuses (APP_ACCEPT_UNBOUND_SEALED=false). Nothing was deleted.';

const REPLACE_IT = "Reconnect, or (for a provider's client secret) re-enter it with `/oauth2 provider edit`.";

/** The TokenCipherError in err or its causes (by name: a copy of the class from another module graph counts too). */
function cipherErrorIn(err: unknown): TokenCipherError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth += 1) {
    if (e.name === 'TokenCipherError') return e as TokenCipherError;
  }
  return undefined;
}

/** undefined unless err is a stored secret that did not open; `service` names who cannot decrypt ("The App"). */
export function secretProblemOf(err: unknown, service: string): SecretProblem | undefined {
  const cipherError = cipherErrorIn(err);
  if (!cipherError) return undefined;
  const reason = (err as Error).message;
  if (cipherError.reason === 'wrong_binding') return { code: 'wrong_binding', text: `${WRONG_BINDING_MESSAGE} ${REPLACE_IT}`, reason };
  if (cipherError.reason === 'unbound_refused') return { code: 'unbound_refused', text: `${UNBOUND_REFUSED_TEXT} ${REPLACE_IT}`, reason };
  const text = `${service} cannot decrypt its stored secrets: its encryption key is missing or wrong. A system admin must restore the key (APP_ENCRYPTION_KEY / APP_PREVIOUS_ENCRYPTION_KEYS). Nothing was deleted.`;
  return { code: 'key_error', text, reason };
}
