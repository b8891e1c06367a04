/** Small text helpers for messages. */
export function formatTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

export function relative(ms: number, now: number): string {
  const seconds = Math.round((ms - now) / 1000);
  const abs = Math.abs(seconds);
  const [n, unit] =
    abs < 90
      ? [abs, 'second']
      : abs < 5400
        ? [Math.round(abs / 60), 'minute']
        : abs < 129600
          ? [Math.round(abs / 3600), 'hour']
          : [Math.round(abs / 86400), 'day'];
  const span = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return seconds >= 0 ? `in ${span}` : `${span} ago`;
}

/** "Show your accounts" from "show your accounts" (a help line as a title or description). */
export const capitalized = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/**
 * Provider text inside an inline code span. Markdown does not undo backslash
 * escapes there (md() would show them), so backticks and line breaks, the only
 * characters that could end or break the span, are replaced instead.
 */
export function codeSpan(text: string): string {
  return `\`${text
    .replace(/`/g, "'")
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 200)}\``;
}

/** Markdown-safe inline text (account labels come from providers). */
export function md(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 200);
}
