/** Typed reading of CoreValues: the host normalised them to strings and booleans; lengths are checked here. */
import { UserFacingError } from '../errors.js';
import type { CoreValues } from '../request.js';

const MAX_TEXT = 4096;

const refuse = (name: string, message: string) => new UserFacingError(message, { fieldErrors: { [name]: message } });

/** A text value, trimmed; undefined when absent or empty. */
export function text(values: CoreValues, name: string): string | undefined {
  const v = values[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw refuse(name, `"${name}" must be text`);
  if (v.length > MAX_TEXT) throw refuse(name, `"${name}" is too long (at most ${MAX_TEXT} characters)`);
  const trimmed = v.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Booleans arrive as true/false or as the strings "true"/"false". */
export function bool(values: CoreValues, name: string): boolean | undefined {
  const v = values[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw refuse(name, `"${name}" must be true or false`);
}
