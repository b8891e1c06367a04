/**
 * The standalone test world (test/support/standalone/world.ts) with every
 * subcommand the service registers (src/hosts/standalone/service/host.ts).
 */
import { createServiceTables } from '../../../src/hosts/standalone/http/router.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';

export const startServiceWorld = (): Promise<StandaloneWorld> => startStandaloneWorld({ tables: createServiceTables() });
