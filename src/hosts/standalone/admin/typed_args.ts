/**
 * Typed arguments of `/oauth2 provider …`: `--name value` pairs (a value may
 * be "double quoted" to hold spaces), a bare `--flag` is true, other words
 * are positional (the provider id). They only prefill a dialog.
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
}

export function parseTypedArgs(words: string[]): TypedArgs {
  const positional: string[] = [];
  const values: CoreValues = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!word.startsWith('--') || word.length < 3) {
      positional.push(word);
      continue;
    }
    const name = word.slice(2).replace(/-/g, '_').toLowerCase();
    const next = words[i + 1];
    if (next === undefined || next.startsWith('--')) values[name] = true;
    else {
      values[name] = next;
      i++;
    }
  }
  return { positional, values };
}

/** Leading dashes as typed or as a client's autocorrect makes them (en and em dash, minus sign). */
const FLAG = /^[-\u2010-\u2015\u2212]+(.*)$/s;

/**
 * Whether a word of the text names a secret: `--client_secret`,
 * `--client-secret`, `--CLIENT_SECRET=…`, `—clientsecret` and any other
 * spelling of a flag about a secret or password.
 */
export function namesSecret(words: string[]): boolean {
  return words.some((word) => {
    const flag = FLAG.exec(word)?.[1];
    return flag !== undefined && /secret|password/.test(flag.toLowerCase().replace(/[^a-z]/g, ''));
  });
}
