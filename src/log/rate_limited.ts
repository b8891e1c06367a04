/**
 * A log line that may be provoked from outside (a refused call): the first
 * few of each window are written as they come, the rest only counted, and
 * the count is written once with the next line after the window ends. So a
 * flood of forged calls costs a handful of lines a minute, not one each.
 */
import type { Logger } from './logger.js';

export interface RateLimitedLog {
  (msg: string, fields: Record<string, unknown>): void;
}

/** `written` is told each line that is written (the summary too), e.g. to keep it in the audit trail at the same bounded rate. */
export function rateLimitedWarn(
  logger: Logger,
  now: () => number,
  perWindow = 10,
  windowMs = 60_000,
  written?: (msg: string, fields: Record<string, unknown>) => void,
): RateLimitedLog {
  const warn = (msg: string, fields: Record<string, unknown>) => {
    logger.warn(msg, fields);
    written?.(msg, fields);
  };
  let windowStart = -Infinity;
  let count = 0;
  let suppressed = 0;
  return (msg, fields) => {
    const t = now();
    if (t - windowStart >= windowMs) {
      if (suppressed > 0) warn(`${msg}: ${suppressed} more not logged one by one`, { suppressed, window_ms: windowMs });
      windowStart = t;
      count = 0;
      suppressed = 0;
    }
    if (count < perWindow) {
      count += 1;
      warn(msg, fields);
    } else {
      suppressed += 1;
    }
  };
}
