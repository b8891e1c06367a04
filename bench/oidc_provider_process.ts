/**
 * The test OpenID provider in a process of its own, for the Mattermost bench:
 * a real provider is remote, so its work on each userinfo request must not
 * run on the service's event loop (in one process it would be counted as
 * OAuth2 Connect's). The child starts the provider, signs alice in (her
 * tokens issued by it, test/support/issued_connection.ts) and sends back the
 * provider's configuration and her connection row; it stays up until the
 * parent closes it.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ConnectionRow } from '../src/core/ports.js';
import type { ProviderConfig } from '../packages/engine/src/types.js';

export interface ProviderProcess {
  config: ProviderConfig;
  /** alice's connection, as a connect stores it. */
  row: ConnectionRow;
  close(): Promise<void>;
}

interface Ready {
  config: ProviderConfig;
  row: ConnectionRow;
}

/** Starts the child and waits for alice's connection (`aliceId` is her Mattermost user id). */
export async function startProviderProcess(aliceId: string): Promise<ProviderProcess> {
  const child = fork(fileURLToPath(import.meta.url), ['child', aliceId], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Ready));
    child.once('exit', (code) => reject(new Error(`the provider's process exited with ${code} before it was ready`)));
  });
  return {
    ...ready,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

async function runChild(aliceId: string): Promise<void> {
  const { startOidcProvider } = await import('../test/support/oidc_provider.js');
  const { issuedConnection, testOidcConfig } = await import('../test/support/issued_connection.js');
  const op = await startOidcProvider();
  const config = testOidcConfig(op);
  const row = await issuedConnection(op, config, aliceId, 'alice-op');
  process.send!({ config, row } satisfies Ready);
  process.on('SIGTERM', () => void op.close().then(() => process.exit(0)));
}

if (process.argv[2] === 'child') await runChild(process.argv[3]!);
