/**
 * Fuzzing the standalone host's HTTP side in process (test/support/standalone
 * world, wired as the service): POST /standalone/command (form bodies with
 * missing, huge, odd, unicode and repeated fields; no, wrong or another
 * team's token), POST /standalone/dialog (malformed JSON, huge fields,
 * forged, foreign, expired or mis-purposed state) and the browser routes
 * (/connect, /signin/callback, /complete/:provider with junk queries and
 * cookies). Every answer is clear (a JSON text or a page, never a 500, never
 * a stack), and a refused request stores nothing, posts nothing and opens no
 * dialog.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { signTrigger } from '../support/standalone/trigger_signer.js';
import type { FakeUser } from '../support/standalone/fake_mattermost.js';
import type { StandaloneWorld } from '../support/standalone/world.js';
import { signDialogState } from '../../src/hosts/standalone/dialogs/state.js';
import { DIALOG_BODY_LIMIT } from '../../src/hosts/standalone/dialogs/dialog_route.js';
import { randomValue } from '../../src/hosts/standalone/secrets.js';
import { NOT_SET_UP_FOR_TEAM } from '../../src/hosts/standalone/http/command_route.js';
import { startServiceWorld } from './support/standalone_service_world.js';
import { str, shortStr } from './support/fuzz_values.js';
import { watchCrashes } from './support/fuzz_checks.js';
import { tampered } from '../support/tamper.js';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const RUNS = 400;
const STACK = /at .*\.[jt]s:\d+|node:internal|\n\s+at /;

let world: StandaloneWorld;
let admin: FakeUser;
let alice: FakeUser;

/** What a refused request must not change: every store, the bot's posts, the dialogs opened, the response_url posts. */
function snapshot(): string {
  const s = world.stores;
  return JSON.stringify([
    [...s.providers.rows],
    [...s.connections.rows.keys()],
    [...s.sessions.rows.keys()],
    [...s.oneTime.rows.keys()],
    [...s.installation.commands.keys()],
    world.mm.posts.length,
    world.mm.dialogs.length,
    world.mm.hooks.length,
  ]);
}

interface Answer {
  status: number;
  type: string;
  text: string;
}

async function answerOf(res: Response): Promise<Answer> {
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** undefined when the answer is clear: an expected status, the expected kind of body, no stack trace. */
function problem(a: Answer, statuses: number[], kind: 'json' | 'page'): string | undefined {
  if (!statuses.includes(a.status)) return `HTTP ${a.status}: ${a.text.slice(0, 160)}`;
  if (STACK.test(a.text)) return `a stack trace: ${a.text.slice(0, 160)}`;
  if (a.status === 303) return undefined;
  if (kind === 'page') return /^text\/html/.test(a.type) && /<html/i.test(a.text) ? undefined : `not a page: ${a.type} ${a.text.slice(0, 80)}`;
  try {
    const body = JSON.parse(a.text) as Record<string, unknown>;
    return typeof body === 'object' && body !== null ? undefined : `not a JSON object: ${a.text.slice(0, 80)}`;
  } catch {
    return `not JSON: ${a.type} ${a.text.slice(0, 80)}`;
  }
}

// ---- POST /standalone/command -------------------------------------------------------------
type TokenKind = 'none' | 'wrong' | 'other_team' | 'right';
const odd = fc.oneof(
  str,
  shortStr,
  fc.constant(''),
  fc.integer({ min: 65_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
);
const subcommand = fc.oneof(
  fc.constantFrom('status', 'help', 'providers', 'whoami', 'whoami idp', 'connect', 'connect idp', 'connect nope', 'disconnect idp', 'report', 'provider list'),
  fc.constantFrom('provider add --preset oidc --id x --client_secret s3cr3t', 'provider remove idp', 'provider edit idp', 'provider test idp'),
  str,
);
type TriggerKind = 'signed' | 'replayed' | 'for_alice' | 'other_key' | 'old' | 'junk';
const commandInput = fc.record({
  token: fc.constantFrom<TokenKind>('none', 'wrong', 'other_team', 'right'),
  /** Mattermost's trigger id: fresh and signed for the user (half the time), or forged in one way. */
  trigger: fc.oneof(
    { arbitrary: fc.constant<TriggerKind>('signed'), weight: 5 },
    { arbitrary: fc.constantFrom<TriggerKind>('replayed', 'for_alice', 'other_key', 'old', 'junk'), weight: 5 },
  ),
  user: fc.constantFrom('alice', 'stranger', 'odd'),
  text: subcommand,
  /** Fields replaced, dropped or repeated. */
  changes: fc.array(
    fc.tuple(
      fc.constantFrom('team_id', 'user_id', 'channel_id', 'command', 'text', 'trigger_id', 'response_url', 'root_id', 'user_name', 'token', 'extra'),
      fc.constantFrom('drop', 'set', 'repeat'),
      odd,
    ),
    { maxLength: 3 },
  ),
  /** Sometimes (1 in 8) a body that is not the form at all. */
  raw: fc.oneof({ arbitrary: fc.constant(null), weight: 7 }, { arbitrary: fc.oneof(str, fc.constant('%%%&&&==='), fc.constant('{"token":"x"}')), weight: 1 }),
});
type CommandInput = typeof commandInput extends fc.Arbitrary<infer T> ? T : never;

const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
/** A trigger signed for the user and already accepted once (a valid `help` spent it). */
async function spentTrigger(userId: string): Promise<string> {
  const trigger = world.mm.signer.sign(userId);
  const form = {
    token: world.commandToken,
    team_id: world.teamId,
    channel_id: 'c'.repeat(26),
    user_id: userId,
    command: '/oauth2',
    text: 'help',
    trigger_id: trigger,
  };
  await fetch(`${world.rootUrl}/standalone/command`, { method: 'POST', body: new URLSearchParams(form) });
  return trigger;
}

async function triggerFor(kind: TriggerKind, userId: string): Promise<string> {
  if (kind === 'signed') return world.mm.signer.sign(userId);
  if (kind === 'replayed') return spentTrigger(userId);
  if (kind === 'for_alice') return world.mm.signer.sign(alice.id);
  if (kind === 'other_key') return signTrigger(otherKey, userId, Date.now());
  if (kind === 'old') return world.mm.signer.sign(userId, Date.now() - 60_000);
  return randomValue();
}

async function sendCommand(input: CommandInput): Promise<{ answer: Answer; refusedForToken: boolean }> {
  const userId = input.user === 'alice' ? alice.id : input.user === 'stranger' ? 'q'.repeat(26) : '../../x';
  // A trigger signed for alice is a fresh, valid one when the request names alice: only a forgery when it names someone else.
  const triggerForged = input.trigger !== 'signed' && !(input.trigger === 'for_alice' && input.user === 'alice');
  const form = new URLSearchParams({
    channel_id: 'c'.repeat(26),
    command: '/oauth2',
    team_id: input.token === 'other_team' ? 'o'.repeat(26) : world.teamId,
    text: input.text,
    trigger_id: await triggerFor(input.trigger, userId),
    user_id: userId,
    user_name: 'someone',
    response_url: `${world.mm.url}/hooks/commands/x`,
  });
  if (input.token === 'wrong') form.set('token', `${world.commandToken.slice(0, -1)}z`);
  if (input.token === 'right' || input.token === 'other_team') form.set('token', world.commandToken);
  let tokenTouched = false;
  for (const [field, change, value] of input.changes) {
    if (['token', 'team_id', 'user_id', 'trigger_id'].includes(field)) tokenTouched = true;
    if (change === 'drop') form.delete(field);
    else if (change === 'set') form.set(field, value);
    else form.append(field, value);
  }
  const body = input.raw ?? form.toString();
  const res = await fetch(`${world.rootUrl}/standalone/command`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { answer: await answerOf(res), refusedForToken: input.raw !== null || input.token !== 'right' || triggerForged || tokenTouched };
}

// ---- POST /standalone/dialog --------------------------------------------------------------
const PURPOSES = ['provider.add', 'provider.edit', 'provider.remove', 'provider.register', 'connect.choose'];
const STATES = ['none', 'junk', 'other_user', 'expired', 'wrong_purpose', 'tampered'] as const;
const dialogInput = fc.record({
  state: fc.constantFrom(...STATES),
  callback: fc.constantFrom(...PURPOSES, 'nope'),
  user: fc.constantFrom('admin', 'alice', 'junk'),
  submission: fc.oneof(
    fc.dictionary(fc.constantFrom('id', 'display_name', 'preset', 'issuer', 'client_id', 'client_secret', 'auth', 'scopes', 'confirm', 'provider'), odd, {
      maxKeys: 6,
    }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  cancelled: fc.boolean(),
  raw: fc.oneof(
    { arbitrary: fc.constant(null), weight: 5 },
    { arbitrary: fc.oneof(str, fc.constant('{"callback_id":'), fc.constant('[]'), fc.constant('null')), weight: 1 },
  ),
});
type DialogInput = typeof dialogInput extends fc.Arbitrary<infer T> ? T : never;

/** Each forged state once, well formed otherwise, as the admin and as alice: every state check is met whatever the seed. */
const EVERY_STATE: DialogInput[] = STATES.flatMap((state) =>
  (['admin', 'alice'] as const).map((user) => ({ state, callback: 'provider.remove', user, submission: { provider: 'idp' }, cancelled: false, raw: null })),
);

/** The service's refusal texts (src/hosts/standalone/dialogs/dialog_route.ts, state.ts), one per check. */
const REFUSED = {
  notOpened: 'This dialog is not one the service opened.',
  otherUser: 'This dialog was opened for another user.',
  otherAction: 'This dialog does not match its action.',
  expired: 'This dialog has expired. Run the command again.',
  malformed: 'This dialog submission is malformed.',
  tooLarge: 'This dialog submission is too large.',
  notJson: 'This dialog submission is not valid JSON.',
};

/** A state the service would not accept for this submission: every one of these is forged in some way. */
function forgedState(input: DialogInput): string | undefined {
  const key = world.deps.dialogKey;
  const purpose = input.callback === 'nope' ? 'provider.add' : input.callback;
  const now = Date.now();
  switch (input.state) {
    case 'none':
      return undefined;
    case 'junk':
      return randomValue();
    case 'other_user':
      return signDialogState(key, { user_id: 'z'.repeat(26), purpose, target: 'idp' }, now);
    case 'expired':
      return signDialogState(key, { user_id: admin.id, purpose, target: 'idp' }, now - 3_600_000, 1000);
    case 'wrong_purpose':
      return signDialogState(key, { user_id: admin.id, purpose: `${purpose}.other`, target: 'idp' }, now);
    default: {
      const good = signDialogState(key, { user_id: admin.id, purpose, target: 'idp' }, now);
      return tampered(good);
    }
  }
}

/** A submission's fields as the service takes them: an object of short strings, numbers, booleans, nulls or short string lists. */
function isFieldRecord(submission: unknown): boolean {
  if (typeof submission !== 'object' || submission === null || Array.isArray(submission)) return false;
  const fits = (v: unknown) =>
    v === null ||
    typeof v === 'number' ||
    typeof v === 'boolean' ||
    (typeof v === 'string' && v.length <= 8192) ||
    (Array.isArray(v) && v.length <= 100 && v.every((item) => typeof item === 'string' && item.length <= 1024));
  return Object.entries(submission).every(([name, value]) => name.length <= 300 && fits(value));
}

/** What the service's strict JSON parser takes: an object or an array (never a bare value); an empty body reads as {}. */
function isJsonObjectOrArray(text: string): boolean {
  if (text === '') return true;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

/** The refusal the service owes this input: the first check (body, shape, action, then the state's own) it fails. */
function expectedRefusal(input: DialogInput, body: string): string {
  if (Buffer.byteLength(body) > DIALOG_BODY_LIMIT) return REFUSED.tooLarge;
  if (input.raw !== null) return isJsonObjectOrArray(input.raw) ? REFUSED.malformed : REFUSED.notJson;
  if (input.user === 'junk' || input.state === 'none' || !isFieldRecord(input.submission)) return REFUSED.malformed;
  if (input.callback === 'nope' || input.state === 'junk' || input.state === 'tampered') return REFUSED.notOpened;
  if (input.state === 'expired') return REFUSED.expired;
  if (input.state === 'other_user' || input.user !== 'admin') return REFUSED.otherUser;
  return REFUSED.otherAction;
}

async function sendDialog(input: DialogInput): Promise<{ answer: Answer; expected: string }> {
  const userId = input.user === 'admin' ? admin.id : input.user === 'alice' ? alice.id : '<script>';
  const state = forgedState(input);
  const body =
    input.raw ??
    JSON.stringify({
      type: 'dialog_submission',
      callback_id: input.callback,
      ...(state !== undefined && { state }),
      user_id: userId,
      submission: input.submission,
      cancelled: input.cancelled,
    });
  const res = await fetch(`${world.rootUrl}/standalone/dialog`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { answer: await answerOf(res), expected: expectedRefusal(input, body) };
}

// ---- GET browser routes -------------------------------------------------------------------
const queryValue = fc.oneof(
  { arbitrary: str, weight: 6 },
  { arbitrary: fc.constant(''), weight: 1 },
  { arbitrary: fc.constant(randomValue()), weight: 2 },
  // Past node's 16 KiB header limit: node answers 431 itself.
  { arbitrary: fc.integer({ min: 5000, max: 9000 }).map((n) => 'é'.repeat(n)), weight: 1 },
);
const browserInput = fc.record({
  route: fc.oneof(
    fc.constantFrom('/connect', '/signin/callback', '/complete/idp', '/complete/nope', '/complete/%E0%A4%A', '/complete/..%2F..', '/complete/%00'),
    str.map((s) => `/complete/${encodeURIComponent(s).slice(0, 300)}`),
  ),
  query: fc.array(fc.tuple(fc.constantFrom('l', 'code', 'state', 'error', 'error_description', 'iss', 'session_state', '__proto__', 'l[]'), queryValue), {
    maxLength: 5,
  }),
  cookie: fc.option(
    fc
      .tuple(fc.constantFrom('oauth2_connect_session', 'oauth2_connect_signin', 'junk'), fc.oneof(fc.constant(randomValue()), shortStr))
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`),
  ),
});
type BrowserInput = typeof browserInput extends fc.Arbitrary<infer T> ? T : never;

async function sendBrowser(input: BrowserInput): Promise<Answer> {
  const query = new URLSearchParams(input.query).toString();
  const res = await fetch(`${world.rootUrl}/standalone${input.route}${query ? `?${query}` : ''}`, {
    redirect: 'manual',
    headers: input.cookie ? { cookie: input.cookie } : {},
  });
  return answerOf(res);
}

/** What `check` found wrong with one input's answer (and the state after it), given the state before. */
type Check<T> = (input: T, before: string) => Promise<string[]>;

/** Sends every input; fails on any problem or any uncaught exception, and prints the tally. */
async function fuzz<T>(label: string, inputs: T[], check: Check<T>, tally: Record<string, number>): Promise<void> {
  const crashes = watchCrashes();
  const problems: string[] = [];
  for (const input of inputs) for (const p of await check(input, snapshot())) problems.push(`${p} <- ${JSON.stringify(input).slice(0, 200)}`);
  crashes.stop();
  console.log(`[security] standalone ${label}: ${JSON.stringify(tally)}`);
  assert.deepEqual(problems.slice(0, 5), [], `${problems.length} problems`);
  assert.equal(crashes.count, 0, 'no uncaught exception or unhandled rejection');
}

const count = (tally: Record<string, number>, key: string) => (tally[key] = (tally[key] ?? 0) + 1);
const listed = (...found: Array<string | false | undefined>) => found.filter((p): p is string => typeof p === 'string');

describe('fuzzing the standalone host over HTTP', () => {
  before(async () => {
    world = await startServiceWorld();
    admin = world.mm.addUser('root', 'system_user system_admin');
    alice = world.mm.addUser('alice');
    await world.addProvider(
      { id: 'idp', display_name: 'IdP', preset: 'oidc', issuer: 'http://127.0.0.1:1', client_id: 'c', auth: 'client_secret_post', scopes: ['openid'] },
      'the-client-secret-of-idp',
    );
    console.log(`[security] standalone fuzz seed ${seed} (FUZZ_SEED=${seed} replays it)`);
  });
  after(async () => world?.close());

  it(`when ${RUNS} odd commands arrive, then each gets 200/400/401/413 JSON, and one without the right token and a fresh trigger signed for its user runs nothing and changes nothing`, async () => {
    const outcomes: Record<string, number> = {};
    await fuzz(
      'command fuzz answers (token, status)',
      fc.sample(commandInput, { numRuns: RUNS, seed }),
      async (input, before) => {
        const { answer, refusedForToken } = await sendCommand(input);
        count(outcomes, `${input.token} ${answer.status}`);
        return listed(
          problem(answer, [200, 400, 401, 413], 'json'),
          // A team without the service's command, asked by a user Mattermost signed for, is only told so (nothing runs).
          refusedForToken && answer.status === 200 && !answer.text.includes(NOT_SET_UP_FOR_TEAM) && 'ran without the right token and signed trigger',
          (answer.status !== 200 || refusedForToken) && snapshot() !== before && 'a refused command changed state',
        );
      },
      outcomes,
    );
    assert.ok((outcomes['none 401'] ?? 0) > 0 && (outcomes['right 200'] ?? 0) > 0, JSON.stringify(outcomes));
  });

  it(`when ${RUNS} malformed or forged dialog submissions arrive, then each is refused with the reason of the check it fails and nothing changes`, async () => {
    const reasons: Record<string, number> = {};
    await fuzz(
      'dialog fuzz refusals',
      [...EVERY_STATE, ...fc.sample(dialogInput, { numRuns: RUNS, seed: seed + 1 })],
      async (input, before) => {
        const { answer, expected } = await sendDialog(input);
        const p = problem(answer, [200], 'json');
        const error = p ? undefined : (JSON.parse(answer.text) as { error?: unknown }).error;
        count(reasons, String(error));
        return listed(
          p,
          snapshot() !== before && 'a forged submission changed state',
          !p && error !== expected && `answered ${answer.text.slice(0, 100)}, expected the refusal "${expected}"`,
        );
      },
      reasons,
    );
    for (const reason of [REFUSED.notOpened, REFUSED.otherUser, REFUSED.otherAction, REFUSED.expired]) assert.ok(reasons[reason], `"${reason}" was met`);
  });

  it('when a browser path cannot be decoded, then a 400 page says so, without a stack', async () => {
    const answer = await sendBrowser({ route: '/complete/%E0%A4%A', query: [], cookie: null });
    assert.equal(problem(answer, [400], 'page'), undefined);
    assert.match(answer.text, /This address is not valid/);
  });

  it(`when ${RUNS} junk browser requests arrive, then each gets a page (400/403/404/410) or a redirect, never a 500, and nothing is stored`, async () => {
    const statuses: Record<string, number> = {};
    await fuzz(
      'browser fuzz statuses',
      fc.sample(browserInput, { numRuns: RUNS, seed: seed + 2 }),
      async (input, before) => {
        const answer = await sendBrowser(input);
        count(statuses, String(answer.status));
        // 431: node's own limit on the request line and headers (16 KiB) answers before the service sees the URL.
        const kind = answer.status === 404 && !/<html/i.test(answer.text) ? 'json' : 'page';
        const p = answer.status === 431 && answer.text === '' ? undefined : problem(answer, [400, 403, 404, 410], kind);
        return listed(p, snapshot() !== before && 'a junk browser request changed state');
      },
      statuses,
    );
  });
});
