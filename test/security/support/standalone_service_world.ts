/**
 * The standalone test world (test/support/standalone/world.ts) wired as the
 * service wires the host (src/hosts/standalone/service/host.ts): the user
 * subcommands registered, the service's sealer and client-secret binding
 * (the world's test binding differs from the core's, which whoami and
 * disconnect use), and the real provider origin.
 */
import { loadConfig } from '../../../src/config.js';
import { registerUserSubcommands } from '../../../src/hosts/standalone/commands/core_commands.js';
import { createStandaloneTables } from '../../../src/hosts/standalone/http/router.js';
import { createStandaloneSealer, standaloneClientSecretBinding } from '../../../src/hosts/standalone/service/sealer.js';
import { providerOrigin } from '../../../src/oauth/provider_origin.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';

export async function startServiceWorld(): Promise<StandaloneWorld> {
  const tables = createStandaloneTables();
  registerUserSubcommands(tables.subcommands, loadConfig({}));
  const world = await startStandaloneWorld({ tables });
  world.deps.sealer = createStandaloneSealer({ encryptionKeys: [{ id: 'k1', key: world.encryptionKey }], currentKeyId: 'k1' });
  world.deps.clientSecretBinding = standaloneClientSecretBinding;
  world.deps.providerOrigin = providerOrigin;
  return world;
}
