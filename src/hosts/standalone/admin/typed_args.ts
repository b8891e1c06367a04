/**
 * Typed arguments of `/oauth2 provider …`: `--name value` pairs (a value may
 * be "double quoted" to hold spaces), a bare `--flag` is true, other words
 * are positional (the provider id).
 */
import type { CoreValues } from '../../../core/request.js';

/** The command text split into words; "a b" stays one word. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|(\S+)/g)) words.push(match[1] ?? match[2] ?? '');
  return words;
}

export interface TypedArgs {
  positional: string[];
  values: CoreValues;
  /** True when a --flag other than --preset was given (--preset alone only chooses the dialog's type). */
  typed: boolean;
}

export function parseTypedArgs(words: string[]): TypedArgs {
  const positional: string[] = [];
  const values: CoreValues = {};
  let typed = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!word.startsWith('--') || word.length < 3) {
      positional.push(word);
      continue;
    }
    const name = word.slice(2).replace(/-/g, '_').toLowerCase();
    if (name !== 'preset') typed = true;
    const next = words[i + 1];
    if (next === undefined || next.startsWith('--')) values[name] = true;
    else {
      values[name] = next;
      i++;
    }
  }
  return { positional, values, typed };
}
