/**
 * Which hosts the process serves, and why (the "listening" line says both).
 * APP_HOSTS always wins. Without it, setup's record decides: a server where
 * setup found no active Apps plugin gets the standalone host only (no Apps
 * routes, no warning about APP_JWT_SECRET, which only the Apps plugin's calls
 * carry); otherwise both hosts run, as before setup: an Apps-plugin server is
 * set up through `/apps install`, never through setup, so a storage with no
 * installation says nothing about the server.
 */
import type { Config, HostName } from './config/index.js';
import type { InstallationStore } from './hosts/standalone/ports.js';

/** What the storage says about the Apps plugin of the configured Mattermost. */
export type AppsPluginRecord = { kind: 'no_setup' } | { kind: 'recorded'; appsPlugin: boolean | undefined } | { kind: 'unreadable'; reason: string };

export interface ServedHosts {
  hosts: HostName[];
  /** For the start-up log line. */
  why: string;
}

const BOTH: HostName[] = ['apps', 'standalone'];

export function decideHosts(config: Pick<Config, 'hosts' | 'hostsChosen'>, record: AppsPluginRecord | undefined): ServedHosts {
  if (config.hostsChosen) return { hosts: [...config.hosts], why: 'APP_HOSTS names them' };
  if (record === undefined || record.kind === 'no_setup') {
    return { hosts: BOTH, why: 'APP_HOSTS is not set and setup has not run for this Mattermost: both hosts' };
  }
  if (record.kind === 'unreadable') {
    return { hosts: BOTH, why: `APP_HOSTS is not set and the installation could not be read (${record.reason}): both hosts` };
  }
  if (record.appsPlugin === undefined) {
    return { hosts: BOTH, why: 'APP_HOSTS is not set and setup did not record whether the Apps plugin is active (run setup again): both hosts' };
  }
  if (record.appsPlugin) return { hosts: BOTH, why: 'APP_HOSTS is not set and setup found the Apps plugin active: both hosts' };
  return {
    hosts: ['standalone'],
    why: 'APP_HOSTS is not set and setup found no active Apps plugin: the standalone host only (APP_HOSTS=apps,standalone serves the Apps host too)',
  };
}

/** Reads setup's record for `mattermostUrl`; an installation made for another Mattermost counts as none. */
export async function readAppsPluginRecord(store: InstallationStore, mattermostUrl: string | undefined): Promise<AppsPluginRecord> {
  try {
    const installation = await store.getInstallation();
    if (!installation || installation.mattermost_url !== mattermostUrl) return { kind: 'no_setup' };
    return { kind: 'recorded', appsPlugin: installation.apps_plugin };
  } catch (err) {
    return { kind: 'unreadable', reason: (err as Error).message };
  }
}
