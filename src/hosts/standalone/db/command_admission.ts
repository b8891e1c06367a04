/**
 * The token check and the trigger's record of a command (ports.ts
 * CommandAdmission). PostgreSQL: one statement, the team's command read and
 * the record inserted (only for that token, ON CONFLICT DO NOTHING) in a
 * data-modifying CTE. SQLite, in the process, needs no round trip to save:
 * the read, a constant-time comparison, then the insert.
 */
import { sql, type Kysely } from 'kysely';
import type { CommandAdmission, OneTimeRecord } from '../ports.js';
import { sameText } from '../secrets.js';
import { compileOnce } from './compiled_query.js';
import type { SqlInstallationStore } from './installation_store.js';
import type { SqlOneTimeStore } from './one_time_store.js';
import type { Database } from './schema.js';

type Admitted = Awaited<ReturnType<CommandAdmission['admit']>>;

function postgresAdmission(db: Kysely<Database>): CommandAdmission['admit'] {
  const query = compileOnce(db, ['teamId', 'tokenHash', 'keyHash', 'purpose', 'userId', 'providerId', 'data', 'expiresAt'], (s) => ({
    compile: () =>
      sql<{ token_hash: string; claimed: number | string }>`with cmd as (select token_hash from team_commands where team_id = ${s.teamId}),
        claim as (
          insert into one_time (key_hash, purpose, user_id, provider_id, data, expires_at)
          select ${s.keyHash}::text, ${s.purpose}::text, ${s.userId}::text, ${s.providerId}::text, ${s.data}::text, ${s.expiresAt}::bigint
          from cmd where cmd.token_hash = ${s.tokenHash}::text and cmd.token_hash <> ''
          on conflict (key_hash) do nothing
          returning key_hash
        )
        select cmd.token_hash, (select count(*) from claim) as claimed from cmd`.compile(db),
  }));
  return async (teamId, tokenHash, trigger): Promise<Admitted> => {
    const { rows } = await query.run({
      teamId,
      tokenHash,
      keyHash: trigger.key_hash,
      purpose: trigger.purpose,
      userId: trigger.user_id,
      providerId: trigger.provider_id,
      data: trigger.data ?? null,
      expiresAt: trigger.expires_at,
    });
    const row = rows[0];
    return { storedHash: row?.token_hash, claimed: Number(row?.claimed ?? 0) > 0 };
  };
}

function sqliteAdmission(installation: SqlInstallationStore, oneTime: SqlOneTimeStore): CommandAdmission['admit'] {
  return async (teamId, tokenHash, trigger: OneTimeRecord): Promise<Admitted> => {
    const storedHash = (await installation.commandForTeam(teamId))?.token_hash;
    // Compared even when the team is unknown, so the work is the same either way; '' (a command not repaired) matches nothing.
    const matches = sameText(tokenHash, storedHash ?? '') && tokenHash !== '';
    return { storedHash, claimed: storedHash !== undefined && matches && (await oneTime.claim(trigger)) };
  };
}

export class SqlCommandAdmission implements CommandAdmission {
  readonly admit: CommandAdmission['admit'];

  constructor(db: Kysely<Database>, kind: 'sqlite' | 'postgres', stores: { installation: SqlInstallationStore; oneTime: SqlOneTimeStore }) {
    this.admit = kind === 'postgres' ? postgresAdmission(db) : sqliteAdmission(stores.installation, stores.oneTime);
  }
}
