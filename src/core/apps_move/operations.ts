/**
 * The admins' commands for the move to the standalone host: `migrate
 * providers` (copy the providers), `migrate users` (turn on copying each
 * user's connections on their next call) and `migrate status` (progress). The
 * copies run on the Apps host, which alone can read its stores; progress is
 * kept in the standalone host's storage, so it can be read on either host.
 */
import { requireAdminUser } from '../admin/admin_guard.js';
import type { AdminDeps } from '../admin/provider_secrets.js';
import { UserFacingError } from '../errors.js';
import { formatTime } from '../format.js';
import type { CoreAnswer, CoreRequest } from '../request.js';
import { copyProvider, providerCopyLine } from './copy_providers.js';
import type { AppsMove, MoveEntry, MoveProgress, MoveTarget } from './ports.js';

export const APPS_HOST_ONLY =
  "Copying runs on the Apps host, before Mattermost is upgraded: it reads the Apps plugin's stores. Run it there (the `/oauth2` of the App, while the Apps plugin is enabled).";
export const NO_STANDALONE =
  'The standalone host does not run in this process, so there is nowhere to copy to. Start the service with both hosts (`APP_HOSTS=apps,standalone`, the default) and set up the standalone host first (README, "Upgrading from v11 to v12").';

/** The target, ready to receive copies: else the refusal says what to do first. */
async function readyTarget(req: CoreRequest): Promise<MoveTarget> {
  const target = req.appsMove?.target;
  if (!target) throw new UserFacingError(req.appsMove ? APPS_HOST_ONLY : NO_STANDALONE);
  const problem = await target.notReady();
  if (problem)
    throw new UserFacingError(
      `The standalone host is not set up yet (${problem}): nothing was copied. Set it up first (README, "Upgrading from v11 to v12"), then run this again.`,
    );
  return target;
}

/** The users the Apps host's report lists, recorded so progress can count them (and tell those not copied to reconnect). */
async function recordKnownUsers(req: CoreRequest, move: AppsMove, now: number): Promise<void> {
  const report = await req.connections.report();
  const entries: MoveEntry[] = Object.entries(report).flatMap(([provider_id, users]) =>
    [...users.connected, ...users.broken].map((user_id) => ({ user_id, provider_id })),
  );
  await move.ledger.know(entries, now);
}

export async function migrateProviders(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  requireAdminUser(req);
  const target = await readyTarget(req);
  const providers = await req.providers.list();
  if (providers.length === 0) return { text: 'The Apps host has no providers: nothing to copy.' };
  const results = [];
  for (const provider of providers) results.push(await copyProvider(provider, deps, target));
  await recordKnownUsers(req, req.appsMove!, deps.now());
  deps.logger.info('apps move: providers copied', { outcomes: results.map((r) => `${r.provider.id}:${r.outcome}`).join(',') });
  const next = (await target.ledger.usersEnabled())
    ? 'User copying is on; `/oauth2 migrate status` shows its progress.'
    : "Next: `/oauth2 migrate users` copies each user's connection on their next use of the App.";
  return { text: ['#### Providers copied to the standalone host', ...results.map(providerCopyLine), '', next].join('\n') };
}

export async function migrateUsers(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  requireAdminUser(req);
  const target = await readyTarget(req);
  if ((await target.providers.list()).length === 0)
    throw new UserFacingError('Copy the providers first (`/oauth2 migrate providers`): a connection is copied only to its provider.');
  const turnedOn = await target.ledger.enableUsers(deps.now());
  await recordKnownUsers(req, req.appsMove!, deps.now());
  if (turnedOn) deps.logger.info('apps move: user copying turned on', { by: req.user.id });
  const what = turnedOn ? 'User copying is now on' : 'User copying was on already';
  return {
    text: `${what}: each user's connections are copied to the standalone host the next time they use the App (any \`/oauth2\` command or the Connected accounts panel), once. Ask users to run \`/oauth2 status\` once before the upgrade. \`/oauth2 migrate status\` shows how many are copied.`,
  };
}

export function progressText(p: MoveProgress): string {
  const users = p.usersEnabledAt === undefined ? 'off (`/oauth2 migrate users` turns it on)' : `on since ${formatTime(p.usersEnabledAt)}`;
  return [
    `- User copying: ${users}.`,
    `- Users copied: **${p.copiedUsers}** of ${p.knownUsers} the Apps host has connected (${p.copiedConnections} connections); ${p.visitedUsers - p.copiedUsers} more had nothing that could be copied.`,
    `- Not copied yet: ${Math.max(0, p.knownUsers - p.copiedUsers)} users. After the upgrade they are asked to reconnect.`,
  ].join('\n');
}

export async function migrateStatus(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  requireAdminUser(req);
  const move = req.appsMove;
  if (!move) throw new UserFacingError(NO_STANDALONE);
  if (move.target && !(await move.target.notReady())) await recordKnownUsers(req, move, deps.now());
  const providers = move.target ? await move.target.providers.list() : [];
  const head = move.target ? [`- Providers on the standalone host: ${providers.length}.`] : [];
  return { text: ['#### Copying to the standalone host', ...head, progressText(await move.ledger.progress())].join('\n') };
}

/** The admin report's line on the move; empty when nothing of it has started. */
export async function moveReportLine(req: CoreRequest): Promise<string[]> {
  const p = await req.appsMove?.ledger.progress();
  if (!p || (p.knownUsers === 0 && p.usersEnabledAt === undefined)) return [];
  return ['', `Copied to the standalone host: **${p.copiedUsers}** of ${p.knownUsers} users (\`/oauth2 migrate status\`).`];
}
