/**
 * Drops trailing "/" characters in linear time. The regex /\/+$/ backtracks
 * quadratically on a long run of slashes followed by another character, and
 * site URLs, issuers and base URLs come from calls and admins (unbounded).
 */
export function trimTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 47) end -= 1;
  return end === value.length ? value : value.slice(0, end);
}
