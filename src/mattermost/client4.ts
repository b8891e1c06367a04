/**
 * Mattermost REST through @mattermost/client (Client4), for the standalone
 * host and its setup. The base URL always comes from configuration, never
 * from a request. The package is CommonJS, hence the default import.
 */
import mattermostClient from '@mattermost/client';

const { Client4, ClientError } = mattermostClient;

export type MattermostRestClient = InstanceType<typeof Client4>;
export { ClientError as MattermostClientError };

export function createMattermostClient(siteUrl: string, token: string): MattermostRestClient {
  const client = new Client4();
  client.setUrl(siteUrl);
  client.setToken(token);
  client.setUserAgent('oauth2-connect');
  return client;
}
