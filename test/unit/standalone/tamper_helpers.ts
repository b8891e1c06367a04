/**
 * A fake Mattermost where bob created the team "bobs" (so he is its team
 * admin), with two active system admins and a deactivated one, set up with a
 * given bot role; and the next check as each role runs it.
 */
import assert from 'node:assert/strict';
import type { BotRole } from '../../../src/hosts/standalone/ports.js';
import { BOT_USERNAME } from '../../../src/hosts/standalone/setup/names.js';
import type { FakeCommand, FakeUser } from '../../support/fake_mattermost_rest.js';
import { cli, loopOnce, setupWorld, teamAdmin, type SetupWorld } from './setup_helpers.js';

export interface TamperWorld {
  w: SetupWorld;
  /** The admin whose token setup uses, a second active admin, a deactivated one. */
  admins: { admin: FakeUser; root: FakeUser; gone: FakeUser };
  bob: ReturnType<typeof teamAdmin>;
  /** The live /oauth2 of bob's team. */
  ours(): FakeCommand | undefined;
}

export async function tamperWorld(role: BotRole): Promise<TamperWorld> {
  const w = await setupWorld();
  const admin = [...w.mm.state.users.values()].find((u) => u.username === 'admin')!;
  const root = w.mm.state.addUser('root', 'system_user system_admin');
  const gone = w.mm.state.addUser('gone', 'system_user system_admin');
  gone.delete_at = Date.now();
  const bob = teamAdmin(w);
  const report = await w.run('apply', { botRole: role });
  assert.deepEqual(report.problems, [], report.format());
  return { w, admins: { admin, root, gone }, bob, ours: () => w.mm.state.liveCommands(bob.team).find((c) => c.trigger === 'oauth2') };
}

export interface CheckRun {
  /** The findings as warned: 'team "x": what; outcome'. */
  warnings: string[];
  /** The exit code of setup --sync; undefined for the service's loop. */
  code?: number;
  output: string;
}

export interface TamperMode {
  title: string;
  role: BotRole;
  check(w: SetupWorld): Promise<CheckRun>;
  /** Who makes the service's commands with this role. */
  creator(w: SetupWorld): string;
  /** Who the audit trail names for a repair: the admin whose token setup used, or the service's bot. */
  auditor(w: SetupWorld): string;
}

const userNamed = (w: SetupWorld, name: string) => [...w.mm.state.users.values()].find((u) => u.username === name)!.id;

export const MODES: TamperMode[] = [
  {
    title: 'setup --sync, run by cron for the regular bot,',
    role: 'regular',
    async check(w) {
      const { code, out } = await cli(w, ['--sync']);
      const warnings = out
        .split('\n')
        .filter((l) => l.startsWith('  WARNING: '))
        .map((l) => l.slice('  WARNING: '.length));
      return { warnings, code, output: out };
    },
    creator: (w) => userNamed(w, 'admin'),
    auditor: (w) => userNamed(w, 'admin'),
  },
  {
    title: "the service's team sync, for the admin bot,",
    role: 'admin',
    async check(w) {
      const { lines } = await loopOnce(w);
      const warnings = lines.filter((l) => l.startsWith('WARN team sync: team ')).map((l) => l.replace(/^WARN team sync: /, '').replace(/ \{\}$/, ''));
      return { warnings, output: lines.join('\n') };
    },
    creator: (w) => userNamed(w, BOT_USERNAME),
    auditor: (w) => userNamed(w, BOT_USERNAME),
  },
];

/** Each active system admin got exactly one direct message, from the bot, holding every line; nobody else got any. */
export function assertAdminsTold(t: TamperWorld, ...lines: string[]): string {
  const state = t.w.mm.state;
  const botId = userNamed(t.w, BOT_USERNAME);
  for (const admin of [t.admins.admin, t.admins.root]) {
    const received = state.directPosts.filter((p) => p.to === admin.id);
    assert.equal(received.length, 1, `@${admin.username} gets one message per run`);
    assert.equal(received[0]!.from, botId);
    assert.match(received[0]!.message, /^:warning: \*\*OAuth2 Connect: someone changed its \/oauth2 command\*\*/);
    for (const line of lines) assert.ok(received[0]!.message.includes(line), `missing "${line}" in:\n${received[0]!.message}`);
  }
  assert.deepEqual(
    state.directPosts.filter((p) => p.to !== t.admins.admin.id && p.to !== t.admins.root.id),
    [],
    'no message to the deactivated admin, bob or the bot',
  );
  return state.directPosts[0]!.message;
}
