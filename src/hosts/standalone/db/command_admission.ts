/**
 * The token check and the trigger's record of a command (ports.ts
 * CommandAdmission). PostgreSQL: one statement, the team's command read and
 * the record inserted (only for that token, ON CONFLICT DO NOTHING) in a
 * data-modifying CTE; for a command that starts from its user's view
 * (status, whoami, disconnect, the panel), the same statement also reads that
 * view (the provider list's version, the user's connections and grants, as
 * connection_queries.ts withVersionAndGrants does), only when the trigger was
 * claimed, so such a command makes one round trip in all. SQLite: the same
 * insert in one statement (INSERT ... SELECT from the team's command, for its
 * token only), then, for a claimed trigger, the view's one query; the stored
 * hash is read apart only for a refused one. Either way the route compares
 * the hashes again in constant time before it admits (command_route.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { CommandAdmission, OneTimeRecord } from '../ports.js';
import { inBatches } from './claim_batches.js';
import { compileOnce } from './compiled_query.js';
import { ROW, type VersionedRow } from './connection_queries.js';
import { userGrantsJson } from './grant_rows.js';
import type { SqlConnectionRepository } from './connection_repository.js';
import type { SqlInstallationStore } from './installation_store.js';
import type { Database } from './schema.js';

type Admitted = Awaited<ReturnType<CommandAdmission['admit']>>;

/** The admission's answer: the stored hash and the claim, on every row; the view's columns (null without one) beside them. */
type AdmissionRow = { token_hash: string; claimed: number | string; relaxed: number | string } & VersionedRow;

/** The slots of both statements: the team and its token, and the trigger's record. */
const SLOTS = ['teamId', 'tokenHash', 'keyHash', 'purpose', 'userId', 'providerId', 'data', 'expiresAt'] as const;

/** The values of SLOTS for one admission. */
const slotValues = (teamId: string, tokenHash: string, trigger: OneTimeRecord): Record<(typeof SLOTS)[number], unknown> => ({
  teamId,
  tokenHash,
  keyHash: trigger.key_hash,
  purpose: trigger.purpose,
  userId: trigger.user_id,
  providerId: trigger.provider_id,
  data: trigger.data ?? null,
  expiresAt: trigger.expires_at,
});

function postgresAdmission(db: Kysely<Database>, connections: SqlConnectionRepository): CommandAdmission['admit'] {
  const query = compileOnce(db, [...SLOTS, 'withView'], (s) => ({
    compile: () =>
      sql<AdmissionRow>`with relaxed as (select set_config('synchronous_commit', 'off', true)),
        cmd as (select token_hash from team_commands where team_id = ${s.teamId}),
        claim as (
          insert into one_time (key_hash, purpose, user_id, provider_id, data, expires_at)
          select ${s.keyHash}::text, ${s.purpose}::text, ${s.userId}::text, ${s.providerId}::text, ${s.data}::text, ${s.expiresAt}::bigint
          from cmd where cmd.token_hash = ${s.tokenHash}::text and cmd.token_hash <> ''
          on conflict (key_hash) do nothing
          returning key_hash
        )
        select cmd.token_hash, (select count(*) from claim) as claimed, (select count(*) from relaxed) as relaxed, mine.*
        from cmd left join lateral (
          select v.version, ${userGrantsJson('postgres', s.userId)} as grants, ${sql.join(ROW.map((column) => sql.ref(`c.${column}`)))}
          from provider_list_version v left join connections c on c.user_id = ${s.userId}::text
          where v.id = 1 and ${s.withView}::boolean and exists (select 1 from claim)
        ) mine on true
        order by mine.provider_id`.compile(db),
  }));
  return async (teamId, tokenHash, trigger, withView = false): Promise<Admitted> => {
    const { rows } = await query.run({ ...slotValues(teamId, tokenHash, trigger), withView });
    const row = rows[0];
    const claimed = Number(row?.claimed ?? 0) > 0;
    // A view was read only for a claimed trigger; a row without a version is the left join's empty side.
    const view = claimed && withView && row?.version != null ? await connections.viewOf(rows) : undefined;
    return { storedHash: row?.token_hash, claimed, ...(view && { view }) };
  };
}

function sqliteAdmission(db: Kysely<Database>, stores: AdmissionStores): CommandAdmission['admit'] {
  // The record is inserted only for the team's own token: no row comes back for another token, another team or a replay.
  const claimForToken = compileOnce(db, SLOTS, (s) => ({
    compile: () =>
      sql<{ key_hash: string }>`insert into one_time (key_hash, purpose, user_id, provider_id, data, expires_at)
        select ${s.keyHash}, ${s.purpose}, ${s.userId}, ${s.providerId}, ${s.data}, ${s.expiresAt}
        from team_commands where team_id = ${s.teamId} and token_hash = ${s.tokenHash} and token_hash <> ''
        on conflict (key_hash) do nothing
        returning key_hash`.compile(db),
  }));
  const claim = inBatches(db, claimForToken);
  return async (teamId, tokenHash, trigger: OneTimeRecord, withView = false): Promise<Admitted> => {
    const { rows } = await claim(slotValues(teamId, tokenHash, trigger));
    // Refused: the stored hash is read only now, for the checks one by one that say why.
    if (rows.length === 0) return { storedHash: (await stores.installation.commandForTeam(teamId))?.token_hash, claimed: false };
    const view = withView ? await stores.connections.withProvidersAndGrants(trigger.user_id) : undefined;
    return { storedHash: tokenHash, claimed: true, ...(view && { view }) };
  };
}

interface AdmissionStores {
  installation: SqlInstallationStore;
  connections: SqlConnectionRepository;
}

export class SqlCommandAdmission implements CommandAdmission {
  readonly admit: CommandAdmission['admit'];

  constructor(db: Kysely<Database>, kind: 'sqlite' | 'postgres', stores: AdmissionStores) {
    this.admit = kind === 'postgres' ? postgresAdmission(db, stores.connections) : sqliteAdmission(db, stores);
  }
}
