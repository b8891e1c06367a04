/**
 * Mattermost REST through @mattermost/client (Client4), for the standalone
 * host and its setup: the whole v4 API, where the driver's
 * MattermostRestClient is the Apps host's few calls. The base URL always
 * comes from configuration, never from a request. A refusal is Client4's
 * ClientError (status_code, server_error_id), not MattermostApiError. The
 * package is CommonJS, hence the default import.
 */
import mattermostClient from '@mattermost/client';

const { Client4 } = mattermostClient;

export type MattermostClient4 = InstanceType<typeof Client4>;

export function createMattermostClient(siteUrl: string, token: string): MattermostClient4 {
  const client = new Client4();
  client.setUrl(siteUrl);
  client.setToken(token);
  client.setUserAgent('oauth2-connect');
  return client;
}
