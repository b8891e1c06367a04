/** What every fuzzed answer must be, and the process-wide checks around a fuzz run. */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { SecretAudit } from './audit.js';
import type { FuzzInput } from './fuzz_requests.js';
import { providerRedirectUri } from '../../../src/hosts/apps/calls/redirect_uri.js';
import type { RawAnswer } from './signed.js';
import { NO_USER_PATHS } from '../../../src/hosts/apps/http/caller_checks.js';

const TYPES = new Set(['ok', 'error', 'form', 'navigate']);

/** Every string anywhere in a parsed value (for "is this URL from values?"). */
function stringsIn(value: unknown, out: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > 50) return out;
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out, depth + 1);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) stringsIn(v, out, depth + 1);
  return out;
}

function parsedValues(input: FuzzInput): unknown {
  try {
    return (JSON.parse(input.body) as { values?: unknown })?.values;
  } catch {
    return undefined;
  }
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** undefined when the answer is what the class expects, else what is wrong. */
export function problemWith(input: FuzzInput, answer: RawAnswer, secrets: SecretAudit): string | undefined {
  const { status, json } = answer;
  if (input.cls === 'jwt') {
    // Refused before the JWT check, with no handler run: a body that does not parse (acting user
    // mismatch is checked after parsing), or a path express cannot decode (e.g. /%zz).
    const refusedEarlier = (input.jwt === 'other_user' || !decodable(input.path)) && status === 200 && json?.type === 'error';
    if (status !== 401 && !refusedEarlier) return `a broken JWT (${input.jwt}) got HTTP ${status}`;
  } else if (status === 401 && input.actingUserId === undefined && !NO_USER_PATHS.has(input.path)) {
    // A signed call without acting_user_id on a path the plugin always calls with a user: refused as unauthenticated.
    if (input.cls !== 'any' && input.cls !== 'refused') return `HTTP 401 for ${input.cls}`;
  } else if (status !== 200) return `HTTP ${status}`;
  if (typeof json !== 'object' || json === null || !TYPES.has(json.type)) return `not a call response: ${answer.body.slice(0, 120)}`;
  if (json.type === 'error' && (typeof json.text !== 'string' || json.text === '')) return 'an error without text';
  if (json.type === 'error' && /at .*\.[jt]s:\d+/.test(json.text)) return 'a stack trace in the error text';
  if (input.cls !== 'any' && json.type !== 'error') return `${input.why} was not refused (${json.type})`;
  if (json.type === 'form' && typeof json.form?.submit?.path !== 'string') return 'a form without submit';
  if (json.type === 'navigate') {
    if (stringsIn(parsedValues(input)).has(json.navigate_to_url)) return 'navigate to a URL from values';
  }
  if (input.path === '/oauth2/connect' && json.type === 'ok' && typeof json.data === 'string') {
    const redirect = new URL(json.data).searchParams.getAll('redirect_uri');
    // complete_url with the provider's id in its query (the per-provider redirect URI), nothing else.
    let expected = '';
    try {
      expected = providerRedirectUri(input.completeUrl ?? '', new URL(redirect[0] ?? '').searchParams.get('provider') ?? '');
    } catch {
      expected = '(no valid complete_url)';
    }
    if (redirect.length !== 1 || redirect[0] !== expected) return `authorize URL redirect_uri ${redirect.join(',')} is not complete_url?provider=<id>`;
  }
  const leaked = secrets.leakIn(answer.body);
  if (leaked) return `the answer contains a secret (…${leaked.slice(-4)})`;
  return undefined;
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Heap in use after a full collection, in MB. */
export function settledHeapMb(): number {
  gc();
  gc();
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
}

/** Counts errors that would crash a standalone App process. */
export function watchCrashes(): { count: number; stop(): void } {
  const watcher = { count: 0, stop: () => undefined as void };
  const onError = () => void (watcher.count += 1);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  watcher.stop = () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  };
  return watcher;
}

export const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).concat(Object.getOwnPropertyNames(Array.prototype)).sort().join(',');
