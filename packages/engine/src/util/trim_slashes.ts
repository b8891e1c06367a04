/**
 * Drops trailing "/" characters in linear time. The regex /\/+$/ backtracks
 * quadratically on a long run of slashes followed by another character, and
 * issuers and base URLs come from admins (unbounded). The service and the
 * driver have the same function; each package keeps its own copy so that it
 * installs alone (test/unit/security/trim_slashes.test.ts holds all of them
 * to one behaviour).
 */
export function trimTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 47) end -= 1;
  return end === value.length ? value : value.slice(0, end);
}
