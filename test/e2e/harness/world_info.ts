/** What test/e2e/run_e2e.ts writes to E2E_WORLD_FILE for the test processes. */
import { readFileSync } from 'node:fs';
import type { RealWorldInfo } from '../../scenarios/backends/real.js';

/** The server without the Apps plugin (AppsEnabled off) that the standalone host's scenarios run against. */
export interface StandaloneServerInfo {
  siteUrl: string;
  directUrl: string;
  adminUsername: string;
  /** Every team; new users join all of them (setup puts /oauth2 in each). */
  teamIds: string[];
  /** Town Square of the first team, where commands are typed. */
  channelId: string;
}

export interface E2EWorldInfo extends RealWorldInfo {
  /** The second server, the remote OAuth2 provider. */
  provider: { siteUrl: string; directUrl: string; adminUsername: string };
  standalone?: StandaloneServerInfo;
}

/** The world, or undefined when the tests run outside `npm run test:e2e`. */
export function readWorldInfo(): E2EWorldInfo | undefined {
  const file = process.env.E2E_WORLD_FILE;
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as E2EWorldInfo) : undefined;
}
