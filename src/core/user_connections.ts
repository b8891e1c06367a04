/**
 * What status, whoami, disconnect and the panel start from: the registered
 * providers and the user's connections. One read where the storage offers it
 * (the standalone host's SQL: one query, the provider list kept in the
 * process), else the two reads side by side (the Apps host: both come with
 * the call).
 */
import type { ConnectionRow } from './ports.js';
import type { Connection } from './record_schemas.js';
import type { StoredProvider } from './provider_records.js';
import type { CoreRequest } from './request.js';
import type { TokenGrant } from './token_api/types.js';

export interface UserView {
  providers: StoredProvider[];
  connections: Record<string, Connection>;
  /** The row at a provider; `read: 'with the view'` when it came with the same read (no round trip to get it). */
  row(providerId: string): Promise<ConnectionRow | undefined>;
  read: 'with the view' | 'on demand';
  /** The user's grants, when the storage read them with the view (UserConnections.grants); else the token API is asked. */
  grants?: TokenGrant[];
}

export async function userView(req: CoreRequest): Promise<UserView> {
  const { connections: repository, user } = req;
  if (repository.withProviders) {
    const together = await repository.withProviders(user.id);
    const { providers, connections, opened, grants } = together;
    return { providers, connections, row: opened, read: 'with the view', ...(grants && { grants }) };
  }
  const [providers, connections] = await Promise.all([req.providers.list(), repository.summaries(user.id)]);
  return { providers, connections, row: (providerId) => repository.get(user.id, providerId), read: 'on demand' };
}
