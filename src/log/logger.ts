/**
 * Structured logs: one JSON object a line. Secret-looking keys are redacted
 * wherever they appear, and registered secret values (the JWT secret, the
 * encryption keys, and client secrets and tokens as soon as the App holds
 * them) are scrubbed from every string. Errors are logged by name and a safe
 * message: a parse error's message quotes the text it parsed, which may be
 * decrypted data, so it is withheld.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_KEY = /(secret|token|password|authorization|cookie|code_verifier|^code$|^key$|private|assertion|nonce|^state$)/i;
const REDACTED = '[redacted]';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Values scrubbed from every later line (client secrets, tokens); the most recent MAX_SECRETS are kept. */
  addSecrets(...values: (string | undefined)[]): void;
}

/** Bounds the registered values, so a long-running App does not grow without end. */
export const MAX_SECRETS = 1000;

/** The name and a message that cannot quote parsed data. */
export function safeError(err: Error, secrets: Iterable<string> = []): { name: string; message: string } {
  if (err instanceof SyntaxError) return { name: err.name, message: 'a parse error (its message is withheld: it may quote the data parsed)' };
  return { name: err.name, message: scrub(err.message.slice(0, 500), secrets) };
}

export interface LoggerOptions {
  level?: Level;
  /** Values that must never appear in a line (scrubbed from strings). */
  secrets?: string[];
  write?: (line: string) => void;
}

function scrub(value: string, secrets: Iterable<string>): string {
  let out = value;
  for (const secret of secrets) if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

function redact(value: unknown, secrets: Iterable<string>, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (value instanceof Error) return safeError(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, secrets, depth + 1);
  return out;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const fixed = (options.secrets ?? []).filter((s) => s.length >= 8);
  const learned = new Set<string>();
  // A plain array, rebuilt at the first line after a secret is learned: every string of every
  // line is scrubbed against it (a generator per string cost more than the scan), and a
  // request may learn several secrets before it logs anything.
  let secrets: string[] | undefined = fixed;
  const addSecrets = (...values: (string | undefined)[]) => {
    for (const value of values) {
      if (value === undefined || value.length < 8) continue;
      // A value known already only moves to the newest end: the set, so the array, stays the same (every
      // token request registers the token it serves; rebuilding the array each time cost more than the line).
      const known = learned.delete(value);
      learned.add(value);
      if (known) continue;
      if (learned.size > MAX_SECRETS) learned.delete(learned.values().next().value as string);
      secrets = undefined;
    }
  };
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const log =
    (level: Level) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[level] < min) return;
      // One object per line (a line is written per call): the fields are redacted straight into it.
      const scrubbed = (secrets ??= [...fixed, ...learned]);
      const line: Record<string, unknown> = { time: new Date().toISOString(), level, msg: scrub(msg, scrubbed) };
      for (const k of Object.keys(fields)) line[k] = SECRET_KEY.test(k) ? REDACTED : redact(fields[k], scrubbed, 1);
      write(JSON.stringify(line));
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), addSecrets };
}

/** A logger that keeps its lines, for tests that check what was logged. */
export function createMemoryLogger(options: Omit<LoggerOptions, 'write'> = {}): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ ...options, level: options.level ?? 'debug', write: (l) => lines.push(l) }), { lines });
}
