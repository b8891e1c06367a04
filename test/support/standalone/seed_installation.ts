/** The installation row setup writes, for readiness tests (readiness reads only that it is there; the sealed columns are not opened). */
import type { StandaloneDatabase } from '../../../src/hosts/standalone/db/open_database.js';

export async function seedInstallation(database: Pick<StandaloneDatabase, 'db'>): Promise<void> {
  await database.db
    .insertInto('installation')
    .values({
      id: 1,
      mattermost_url: 'http://mm',
      bot_user_id: 'b',
      bot_username: 'bot',
      bot_token: 'sealed',
      oauth_client_id: 'c',
      oauth_client_secret: 'sealed',
      bot_role: 'regular',
      installation_id: 'test-installation',
      updated_at: 0,
    })
    .execute();
}
