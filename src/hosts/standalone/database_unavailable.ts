/**
 * Which storage errors mean "the database is down or too slow right now"
 * (as opposed to a bug): connection refused, reset or timed out, the pool's
 * wait for a connection, a statement cancelled by statement_timeout, a server
 * shutting down or full, SQLite busy. Those get one clear, retryable answer
 * instead of "something went wrong", and a warning instead of a stack trace.
 */
export const DATABASE_UNAVAILABLE =
  'The OAuth2 Connect service cannot reach its database right now (it is down or too slow). Try again in a minute; if this persists, ask an admin to check the service (its /readyz).';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
/**
 * PostgreSQL SQLSTATEs: 57014 query_canceled (statement_timeout), 57P01-03 shutdown / cannot connect now, 53300 too many
 * connections, 3D000 the database does not exist (dropped under the service), class 08 connection exceptions.
 */
const SQLSTATES = new Set(['57014', '57P01', '57P02', '57P03', '53300', '3D000']);
/** node-postgres says these in words, without a code. */
const MESSAGES = [/timeout exceeded when trying to connect/i, /Connection terminated/i, /Client has encountered a connection error/i, /Query read timeout/i];

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof AggregateError && err.errors.some(isDatabaseUnavailable)) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATES.has(code) || code.startsWith('08'))) return true;
  return MESSAGES.some((pattern) => pattern.test(err.message));
}
