/**
 * `/oauth2 audit [--provider id] [--user @name] [--limit N]`: the latest
 * audit entries, newest first, for system admins. Where the host keeps no
 * rows (the Apps host writes its entries to the log only) it says where the
 * trail is.
 */
import type { AuditEntry } from '../audit.js';
import { UserFacingError } from '../errors.js';
import { md } from '../format.js';
import type { CoreAnswer, CoreRequest } from '../request.js';
import type { AdminDeps } from './provider_secrets.js';

export const NOT_ADMIN_AUDIT = 'Only system admins can read the audit trail.';

export const AUDIT_NOT_KEPT_HERE =
  'This service keeps no audit rows: it runs the Apps host alone (`APP_HOSTS=apps`), so admin actions are written to its log as `audit` lines. Run it with the standalone host beside (`APP_HOSTS=apps,standalone`, the default) to keep them in its database, where `/oauth2 audit` lists them.';

export const DEFAULT_AUDIT_LIMIT = 20;
export const MAX_AUDIT_LIMIT = 200;

function limitOf(raw: unknown): number {
  if (raw === undefined) return DEFAULT_AUDIT_LIMIT;
  const limit = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= MAX_AUDIT_LIMIT)) throw new UserFacingError(`\`--limit\` must be a whole number from 1 to ${MAX_AUDIT_LIMIT}.`);
  return limit;
}

function providerOf(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^[a-z0-9-]{1,32}$/i.test(raw))
    throw new UserFacingError("`--provider` takes a provider's short name, e.g. `--provider corp`.");
  return raw.toLowerCase();
}

async function actorOf(req: CoreRequest, raw: unknown): Promise<string | undefined> {
  if (raw === undefined) return undefined;
  const name = typeof raw === 'string' ? raw.replace(/^@/, '').toLowerCase() : '';
  if (!/^[a-z0-9._-]{1,64}$/.test(name)) throw new UserFacingError('`--user` takes a Mattermost username, e.g. `--user @alice`.');
  const id = await req.host.userIdOf?.(name);
  if (!id) throw new UserFacingError(`There is no Mattermost user @${md(name)}.`);
  return id;
}

const when = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 19);

function row(entry: AuditEntry, names: Map<string, string>): string {
  const who = entry.actor_user_id === '' ? '_nobody vouched for_' : md(`@${names.get(entry.actor_user_id) ?? entry.actor_user_id}`);
  // The detail as code: field names keep their underscores, and nothing in it is read as markdown.
  const detail = entry.detail ? `\`${entry.detail.replace(/`/g, "'")}\`` : '-';
  const cells = [when(entry.at), who, entry.action, md(entry.target || '-'), entry.outcome, detail];
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

export async function auditTrailCommand(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  if (req.user.isAdmin !== true) throw new UserFacingError(NOT_ADMIN_AUDIT);
  const store = deps.audit?.store;
  if (!store) return { text: AUDIT_NOT_KEPT_HERE };
  const limit = limitOf(req.values.limit);
  const target = providerOf(req.values.provider);
  const actorUserId = await actorOf(req, req.values.user);
  const entries = await store.recent({ limit, ...(target && { target }), ...(actorUserId && { actorUserId }) });
  if (entries.length === 0) return { text: 'No audit entries match.' };
  const names = await req.host.usernames([...new Set(entries.map((e) => e.actor_user_id).filter((id) => id !== ''))]);
  const head = [
    `#### Audit trail: the latest ${entries.length}, newest first (UTC)`,
    '| When | Who | Action | Target | Outcome | Detail |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  return { text: [...head, ...entries.map((e) => row(e, names))].join('\n') };
}
