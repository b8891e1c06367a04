/**
 * The hosts a host-neutral scenario file runs on: SCENARIO_HOSTS (a comma
 * list of apps, standalone; default both) on SCENARIO_BACKEND (fake, the
 * default, or real: the servers `npm run test:e2e` starts).
 *
 *   for (const host of scenarioHosts()) describe(`... (${host.label})`, () => { ... host.start() ... });
 */
import type { ScenarioHost } from '../host.js';
import { scenarioStorage, StandaloneHost, type StandaloneHostOptions } from './standalone.js';

export type HostName = 'apps' | 'standalone';

/** What either host's start takes (the provider's access-token lifetime). */
export type HostOptions = StandaloneHostOptions;

export interface HostChoice {
  name: HostName;
  /** For describe titles. */
  label: string;
  start(options?: HostOptions): Promise<ScenarioHost>;
}

const backend = () => (process.env.SCENARIO_BACKEND === 'real' ? 'real' : 'fake');

export function chosenHosts(): HostName[] {
  const names = (process.env.SCENARIO_HOSTS ?? 'apps,standalone').split(',').map((n) => n.trim());
  const unknown = names.filter((n) => n !== 'apps' && n !== 'standalone');
  if (unknown.length > 0) throw new Error(`SCENARIO_HOSTS names unknown hosts: ${unknown.join(', ')} (apps, standalone)`);
  return names as HostName[];
}

async function startStandalone(options: HostOptions = {}): Promise<ScenarioHost> {
  if (backend() === 'real') {
    const { RealStandaloneMattermost } = await import('./standalone_real.js');
    return StandaloneHost.start(() => RealStandaloneMattermost.start(), options);
  }
  const { FakeStandaloneMattermost } = await import('./standalone_fake.js');
  return StandaloneHost.start((root) => FakeStandaloneMattermost.start(root), options);
}

async function startApps(options: HostOptions = {}): Promise<ScenarioHost> {
  const { AppsHost } = await import('./apps.js');
  return AppsHost.start(options);
}

const CHOICES: Record<HostName, Omit<HostChoice, 'name'>> = {
  apps: { label: `apps host, ${backend()} backend`, start: startApps },
  standalone: { label: `standalone host, ${backend()} backend, ${scenarioStorage()}`, start: startStandalone },
};

/** The chosen hosts, optionally narrowed to those a file is written for. */
export function scenarioHosts(only: HostName[] = ['apps', 'standalone']): HostChoice[] {
  return chosenHosts()
    .filter((name) => only.includes(name))
    .map((name) => ({ name, ...CHOICES[name] }));
}

/** Declares an Apps-protocol-only suite when SCENARIO_HOSTS includes the apps host (its files use the Apps Backend directly). */
export function onAppsHost(declare: () => void): void {
  if (chosenHosts().includes('apps')) declare();
}
