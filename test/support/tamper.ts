/**
 * A signed value with one character changed, always to another value, five
 * characters from its end: far enough from the last character, whose low bits
 * base64url does not decode, that the bytes always differ (a change that could
 * leave them equal makes a tamper test fail at random).
 */
export function tampered(value: string, fromEnd = 5): string {
  const at = value.length - fromEnd;
  return `${value.slice(0, at)}${value[at] === 'A' ? 'B' : 'A'}${value.slice(at + 1)}`;
}
