/**
 * This host's storage as the Apps host copies into it while both run in one
 * process (core/apps_move): its providers and connections, its sealer, and
 * the move's ledger. It receives copies only once setup has run against it:
 * copied users would otherwise have nowhere to use them after the upgrade.
 */
import type { MoveTarget } from '../../../core/apps_move/ports.js';
import type { SecretSealer } from '../../../core/secret_sealer.js';
import { standaloneSealer } from '../db/sealer.js';
import type { StandaloneHost } from './host.js';

export function moveTarget(host: StandaloneHost, cipher: SecretSealer): MoveTarget {
  const { providers, connections, installation, appsImport } = host.repositories;
  return {
    async notReady() {
      if (!host.deps) return 'APP_MATTERMOST_URL is not set';
      return (await installation.getInstallation()) ? undefined : 'setup (`npx oauth2-connect setup`) has not run against its storage';
    },
    providers,
    connections,
    sealer: standaloneSealer(cipher),
    ledger: appsImport,
  };
}
