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

export function rateLimitedWarn(logger: Logger, now: () => number, perWindow = 10, windowMs = 60_000): RateLimitedLog {
  let windowStart = -Infinity;
  let written = 0;
  let suppressed = 0;
  return (msg, fields) => {
    const t = now();
    if (t - windowStart >= windowMs) {
      if (suppressed > 0) logger.warn(`${msg}: ${suppressed} more not logged one by one`, { suppressed, window_ms: windowMs });
      windowStart = t;
      written = 0;
      suppressed = 0;
    }
    if (written < perWindow) {
      written += 1;
      logger.warn(msg, fields);
    } else {
      suppressed += 1;
    }
  };
}
