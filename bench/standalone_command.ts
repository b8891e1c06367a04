/**
 * The command the standalone bench sends, `/oauth2 status` as Mattermost posts
 * it for the seeded user, and what it checks: before it measures, and of every
 * answer while it does, the user's status text, never a refusal. A signed
 * trigger that is sent again must be refused as already used, so the measured
 * path is the one that writes the single-use record.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TRIGGER_REFUSED } from '../src/hosts/standalone/trigger/trigger_check.js';

export const PATH = '/standalone/command';
/** What the bench server stores before it listens: the team's command token and the user with a connection. */
export const SEED = { teamId: 't'.repeat(26), commandToken: 'k'.repeat(26), userId: 'u7k3mfq9zbdn8xw1ceyr4tjahs' };
export const HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

/** The form Mattermost posts for `/oauth2 status` (model/command_args.go's fields), with the trigger id it made for it. */
export const statusForm = (triggerId: string): string =>
  new URLSearchParams({
    channel_id: 'c'.repeat(26),
    channel_name: 'town-square',
    command: '/oauth2',
    response_url: 'http://127.0.0.1:9/hooks/commands/abc',
    team_domain: 'team',
    team_id: SEED.teamId,
    text: 'status',
    token: SEED.commandToken,
    trigger_id: triggerId,
    user_id: SEED.userId,
    user_name: 'jane',
  }).toString();

const STATUS_TEXT = /connected as \*\*jane-doe\*\*/;
const KEY_READ_WAIT_MS = 3000;

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: HEADERS, body });
  return { status: res.status, text: await res.text() };
}

/** The service reads Mattermost's key right after it starts, without waiting for it: a command sent meanwhile is told so. */
async function afterKeyRead(url: string, sign: () => string): Promise<{ body: string; status: number; text: string }> {
  const waitUntil = Date.now() + KEY_READ_WAIT_MS;
  for (;;) {
    const body = sign();
    const answer = await post(url, body);
    const keyUnread = answer.status === 200 && answer.text.includes(TRIGGER_REFUSED.key_unavailable);
    if (!keyUnread || Date.now() > waitUntil) return { body, ...answer };
    await sleep(100);
  }
}

/** The status answer to a freshly signed command; throws unless it is the status text and a replay of it is refused. */
export async function firstStatusAnswer(baseUrl: string, sign: () => string): Promise<string> {
  const url = baseUrl + PATH;
  const first = await afterKeyRead(url, sign);
  if (first.status !== 200 || !STATUS_TEXT.test(first.text)) throw new Error(`standalone: HTTP ${first.status} ${first.text.slice(0, 300)}`);
  const replay = await post(url, first.body);
  if (replay.status !== 401 || !replay.text.includes(TRIGGER_REFUSED.replayed)) {
    throw new Error(`standalone: a replayed trigger was not refused as already used: HTTP ${replay.status} ${replay.text.slice(0, 300)}`);
  }
  return first.text;
}

/** The per-answer check of a run: exactly the status text (the floors serve it verbatim). */
export const sameAnswer =
  (answer: string) =>
  (body: string): boolean =>
    body === answer;
