/**
 * What setup created in Mattermost: one installation row (bot token and the
 * Sign-in app's secret sealed, each bound to its own setting, re-sealed under
 * the current key when read after a key rotation) and the per-team command
 * rows (only a hash of each command token).
 */
import type { Kysely, Selectable } from 'kysely';
import { isBotRole, type Installation, type InstallationStore, type TeamCommand } from '../ports.js';
import { openFor, type BoundSealer, type SealBinding } from './bound_sealer.js';
import { compileOnce } from './compiled_query.js';
import { millis, type Database, type TeamCommandsTable } from './schema.js';

/** The bindings of the two sealed settings (key rotation re-seals them with these too). */
export const BOT_TOKEN: SealBinding = { kind: 'setting', scope: 'bot_token' };
export const CLIENT_SECRET: SealBinding = { kind: 'setting', scope: 'oauth_client_secret' };
const ROW_ID = 1;

const COMMAND_COLUMNS = ['team_id', 'command_id', 'token_hash', 'creator_id', 'fields_hash', 'updated_at'] as const;

export class SqlInstallationStore implements InstallationStore {
  /** Read by every command's token check. */
  private readonly commandQuery;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sealer: BoundSealer,
  ) {
    this.commandQuery = compileOnce(db, ['teamId'], (s) => db.selectFrom('team_commands').select(COMMAND_COLUMNS).where('team_id', '=', s.teamId));
  }

  async getInstallation(): Promise<Installation | undefined> {
    const row = await this.db.selectFrom('installation').selectAll().where('id', '=', ROW_ID).executeTakeFirst();
    if (!row) return undefined;
    const botToken = openFor(this.sealer, row.bot_token, BOT_TOKEN, 'the installation (bot token)');
    const clientSecret = openFor(this.sealer, row.oauth_client_secret, CLIENT_SECRET, 'the installation (Sign-in client secret)');
    if (botToken.stale) await this.reseal('bot_token', row.bot_token, botToken.plaintext, BOT_TOKEN);
    if (clientSecret.stale) await this.reseal('oauth_client_secret', row.oauth_client_secret, clientSecret.plaintext, CLIENT_SECRET);
    const installation: Installation = {
      mattermost_url: row.mattermost_url,
      bot_user_id: row.bot_user_id,
      bot_username: row.bot_username,
      bot_token: botToken.plaintext,
      oauth_client_id: row.oauth_client_id,
      oauth_client_secret: clientSecret.plaintext,
      // An unknown value (written by a later version) is read as the more capable role: the service then still syncs teams.
      bot_role: isBotRole(row.bot_role) ? row.bot_role : 'admin',
      updated_at: millis(row.updated_at),
    };
    if (row.installation_id) installation.installation_id = row.installation_id;
    if (row.apps_plugin !== null) installation.apps_plugin = Number(row.apps_plugin) === 1;
    return installation;
  }

  /**
   * A secret opened with an older key (or of the first format) is sealed again under the current key, so
   * the older key can leave APP_PREVIOUS_ENCRYPTION_KEYS; unless setup replaced the value meanwhile.
   */
  private async reseal(column: 'bot_token' | 'oauth_client_secret', oldSealed: string, plaintext: string, binding: SealBinding): Promise<void> {
    const sealed = this.sealer.seal(plaintext, binding);
    await this.db
      .updateTable('installation')
      .set(column === 'bot_token' ? { bot_token: sealed } : { oauth_client_secret: sealed })
      .where('id', '=', ROW_ID)
      .where(column, '=', oldSealed)
      .execute();
  }

  async saveInstallation(installation: Installation): Promise<void> {
    const values = {
      mattermost_url: installation.mattermost_url,
      bot_user_id: installation.bot_user_id,
      bot_username: installation.bot_username,
      bot_token: this.sealer.seal(installation.bot_token, BOT_TOKEN),
      oauth_client_id: installation.oauth_client_id,
      oauth_client_secret: this.sealer.seal(installation.oauth_client_secret, CLIENT_SECRET),
      bot_role: installation.bot_role ?? 'admin',
      installation_id: installation.installation_id ?? '',
      apps_plugin: installation.apps_plugin === undefined ? null : Number(installation.apps_plugin),
      updated_at: installation.updated_at,
    };
    await this.db
      .insertInto('installation')
      .values({ id: ROW_ID, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  /** Removes the installation and every team command with it (one transaction). */
  async deleteInstallation(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('team_commands').execute();
      await trx.deleteFrom('installation').execute();
    });
  }

  async listCommands(): Promise<TeamCommand[]> {
    const rows = await this.db.selectFrom('team_commands').selectAll().orderBy('team_id').execute();
    return rows.map(fromRow);
  }

  async commandForTeam(teamId: string): Promise<TeamCommand | undefined> {
    const row = (await this.commandQuery.run({ teamId })).rows[0];
    return row ? fromRow(row) : undefined;
  }

  async saveCommand(command: TeamCommand): Promise<void> {
    const values = {
      command_id: command.command_id,
      token_hash: command.token_hash,
      creator_id: command.creator_id ?? '',
      fields_hash: command.fields_hash ?? '',
      updated_at: command.updated_at,
    };
    await this.db
      .insertInto('team_commands')
      .values({ team_id: command.team_id, ...values })
      .onConflict((oc) => oc.column('team_id').doUpdateSet(values))
      .execute();
  }

  async deleteCommand(teamId: string): Promise<void> {
    await this.db.deleteFrom('team_commands').where('team_id', '=', teamId).execute();
  }
}

/** '' in a column means "not recorded" (rows from before migration 0002): absent in the record. */
function fromRow(row: Selectable<TeamCommandsTable>): TeamCommand {
  const command: TeamCommand = { team_id: row.team_id, command_id: row.command_id, token_hash: row.token_hash, updated_at: millis(row.updated_at) };
  if (row.creator_id) command.creator_id = row.creator_id;
  if (row.fields_hash) command.fields_hash = row.fields_hash;
  return command;
}
