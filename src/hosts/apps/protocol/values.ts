/**
 * Typed reading of form and command values. Values come from the client and
 * are not trusted: a wrong type is an InputError with a clear text.
 */
import type { SelectOption, Values } from './types.js';

export class InputError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

const MAX_TEXT = 4096;

function isOption(v: unknown): v is SelectOption {
  return typeof v === 'object' && v !== null && typeof (v as SelectOption).value === 'string';
}

/** A text value, trimmed; undefined when absent or empty. */
export function text(values: Values | undefined, name: string): string | undefined {
  const v = values?.[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') throw new InputError(`"${name}" must be text`, name);
  if (v.length > MAX_TEXT) throw new InputError(`"${name}" is too long (at most ${MAX_TEXT} characters)`, name);
  const trimmed = v.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function requiredText(values: Values | undefined, name: string, label = name): string {
  const v = text(values, name);
  if (v === undefined) throw new InputError(`${label} is required`, name);
  return v;
}

/** A select value: {label, value} from forms, or a plain string from commands. */
export function select(values: Values | undefined, name: string): string | undefined {
  const v = values?.[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return text(values, name);
  if (isOption(v)) {
    if (v.value.length > MAX_TEXT) throw new InputError(`"${name}" is too long`, name);
    return v.value.trim() || undefined;
  }
  throw new InputError(`"${name}" must be one of the offered options`, name);
}

/** Booleans arrive as true/false or as the strings "true"/"false". */
export function bool(values: Values | undefined, name: string): boolean | undefined {
  const v = values?.[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new InputError(`"${name}" must be true or false`, name);
}
