/**
 * Other texts of one trigger id, each of which still verifies as the trigger
 * Mattermost made: what someone holding a user's trigger can send after it
 * was spent, to try to spend it again.
 *   - the outer base64 without its padding;
 *   - the outer base64 with other spare low bits in its last character;
 *   - the same text signed by (r, n - s): ECDSA signatures are malleable, and
 *     the other form verifies under the same key over the same text.
 */

/** The order of P-256's base point. */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function derInteger(value: bigint): Buffer {
  const hex = value.toString(16);
  let bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  // A leading 1 bit would read as a negative number: DER puts a zero byte first.
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** The DER signature (r, s) as (r, n - s). */
function otherSignature(der: Buffer): Buffer {
  const rLength = der[3]!;
  const r = der.subarray(4, 4 + rLength);
  const sAt = 4 + rLength;
  const s = BigInt(`0x${der.subarray(sAt + 2, sAt + 2 + der[sAt + 1]!).toString('hex')}`);
  const body = Buffer.concat([Buffer.from([0x02, r.length]), r, derInteger(P256_ORDER - s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** base64 of the same bytes with the last character's unused low bits changed; undefined when it has none. */
function otherSpareBits(padded: string): string | undefined {
  const unpadded = padded.replace(/=+$/, '');
  const spareBits = (unpadded.length * 6) % 8;
  if (spareBits === 0) return undefined;
  const last = ALPHABET.indexOf(unpadded.at(-1)!);
  return unpadded.slice(0, -1) + ALPHABET[last ^ 1]! + padded.slice(unpadded.length);
}

/** Texts other than `raw` that decode to the same signed trigger (at least the other signature's, padded and not). */
export function otherEncodings(raw: string): string[] {
  const inner = Buffer.from(raw, 'base64').toString('latin1');
  const cut = inner.lastIndexOf(':') + 1;
  const other = Buffer.from(inner.slice(0, cut) + otherSignature(Buffer.from(inner.slice(cut), 'base64')).toString('base64')).toString('base64');
  const texts = [raw.replace(/=+$/, ''), otherSpareBits(raw), other, other.replace(/=+$/, '')];
  return [...new Set(texts.filter((text): text is string => text !== undefined && text !== raw))];
}
