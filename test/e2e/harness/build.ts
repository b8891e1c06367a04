// Builds (once, cached outside the repo, keyed by version) the Mattermost
// server and the Apps plugin bundle from their Go modules. Go sources come
// only from the Go module proxy; nothing here is committed.
import { chmodSync, cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { log, runLogged, runQuiet } from './run.js';

/**
 * The proxy here lists no version of the mattermost modules and serves only some
 * exact pseudo-versions; this is the newest one found to be served (master of
 * 2026-01-13, model.CurrentVersion 11.4.0). See test/e2e/README.md.
 */
export const MM_SERVER_MODULE = 'github.com/mattermost/mattermost/server/v8';
export const MM_SERVER_VERSION = 'v8.0.0-20260113162330-9e1d4c2072c0';
/** server/public of the same day (36 min later): the same commit is not served. */
export const MM_PUBLIC_VERSION = 'v0.1.22-0.20260113165922-8e4cadbc88ee';
export const MM_REPORTED_VERSION = '11.4.0';
export const APPS_PLUGIN_MODULE = 'github.com/mattermost/mattermost-plugin-apps';
export const APPS_PLUGIN_VERSION = 'v1.2.2';

export interface Built {
  serverBinary: string;
  serverPath: string;
  appsPluginBundle: string;
  versions: { serverModule: string; publicModule: string; reportedVersion: string; appsPlugin: string };
}

export const cacheRoot = process.env.OAUTH2_CONNECT_CACHE ?? join(homedir(), '.cache', 'oauth2-connect-e2e');

// The sum database does not know some of these versions; go.sum copied from the
// modules themselves still pins every dependency's hash.
const goEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  GOFLAGS: '-mod=mod',
  GONOSUMDB: 'github.com/mattermost',
  GOTOOLCHAIN: 'local',
  ...extra,
});

function moduleDir(mod: string, version: string, cwd: string): string {
  const out = runQuiet('go', ['mod', 'download', '-json', `${mod}@${version}`], { cwd, env: goEnv() });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${mod}@${version}: ${info.Error ?? out}`);
  return info.Dir;
}

function copyWritable(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
  runQuiet('chmod', ['-R', 'u+w', to]); // the module cache is read-only
}

async function buildServer(): Promise<{ serverBinary: string; serverPath: string }> {
  const dir = join(cacheRoot, `mattermost-${MM_SERVER_VERSION}`);
  const serverBinary = join(dir, 'bin', 'mattermost');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  if (!existsSync(serverBinary)) {
    writeFileSync(
      join(dir, 'go.mod'),
      [
        'module oauth2connect.e2e/mmbuild',
        '',
        'go 1.24.11',
        '',
        `require ${MM_SERVER_MODULE} ${MM_SERVER_VERSION}`,
        '',
        `replace github.com/mattermost/mattermost/server/public => github.com/mattermost/mattermost/server/public ${MM_PUBLIC_VERSION}`,
        // server/v8's own go.mod has this replace; replaces in dependencies are ignored
        'replace github.com/olekukonko/tablewriter => github.com/olekukonko/tablewriter v0.0.5',
        '',
      ].join('\n'),
    );
    log(
      `building mattermost server ${MM_REPORTED_VERSION} (${MM_SERVER_MODULE}@${MM_SERVER_VERSION}) (cold build, about 3 minutes on 2 cores plus module downloads)…`,
    );
    const started = Date.now();
    await runLogged('building mattermost server', 'go', ['build', '-v', '-trimpath', '-o', `${serverBinary}.tmp`, `${MM_SERVER_MODULE}/cmd/mattermost`], {
      cwd: dir,
      env: goEnv(),
      logFile: join(dir, 'build.log'),
    });
    renameSync(`${serverBinary}.tmp`, serverBinary);
    log(`mattermost server built in ${Math.round((Date.now() - started) / 60000)} min`);
  }
  // i18n/, templates/ and fonts/ are looked up next to ../ of the binary.
  if (!existsSync(join(dir, 'fonts'))) {
    const src = moduleDir(MM_SERVER_MODULE, MM_SERVER_VERSION, dir);
    for (const sub of ['i18n', 'templates', 'fonts']) copyWritable(join(src, sub), join(dir, sub));
  }
  return { serverBinary, serverPath: dir };
}

async function buildAppsPlugin(): Promise<string> {
  const dir = join(cacheRoot, `apps-plugin-${APPS_PLUGIN_VERSION}`);
  const bundle = join(dir, `com.mattermost.apps-${APPS_PLUGIN_VERSION.slice(1)}.tar.gz`);
  if (existsSync(bundle)) return bundle;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'go.mod'), `module oauth2connect.e2e/appsbuild\n\ngo 1.19\n\nrequire ${APPS_PLUGIN_MODULE} ${APPS_PLUGIN_VERSION}\n`);
  const src = moduleDir(APPS_PLUGIN_MODULE, APPS_PLUGIN_VERSION, dir);
  cpSync(join(src, 'go.sum'), join(dir, 'go.sum'));
  chmodSync(join(dir, 'go.sum'), 0o644);
  const binary = join(dir, 'plugin-linux-amd64');
  if (!existsSync(binary)) {
    log(`building Apps plugin ${APPS_PLUGIN_VERSION} (cold build, about 1 minute)…`);
    await runLogged('building Apps plugin', 'go', ['build', '-v', '-trimpath', '-o', `${binary}.tmp`, `${APPS_PLUGIN_MODULE}/server`], {
      cwd: dir,
      env: goEnv({ GOOS: 'linux', GOARCH: 'amd64', CGO_ENABLED: '0' }),
      logFile: join(dir, 'build.log'),
    });
    renameSync(`${binary}.tmp`, binary);
  }
  // Bundle layout the server expects: com.mattermost.apps/{plugin.json,assets,server/dist/...}
  const stage = join(dir, 'stage');
  rmSync(stage, { recursive: true, force: true });
  const top = join(stage, 'com.mattermost.apps');
  mkdirSync(join(top, 'server', 'dist'), { recursive: true });
  copyWritable(join(src, 'plugin.json'), join(top, 'plugin.json'));
  copyWritable(join(src, 'assets'), join(top, 'assets'));
  // An empty marketplace list, so the plugin never tries to reach out for manifests.
  writeFileSync(join(top, 'assets', 'manifests.json'), '{}\n');
  cpSync(binary, join(top, 'server', 'dist', 'plugin-linux-amd64'));
  chmodSync(join(top, 'server', 'dist', 'plugin-linux-amd64'), 0o755);
  runQuiet('tar', ['-czf', `${bundle}.tmp`, '-C', stage, 'com.mattermost.apps']);
  renameSync(`${bundle}.tmp`, bundle);
  log(`Apps plugin bundle ready: ${bundle}`);
  return bundle;
}

/** Idempotent: builds what the cache lacks, and returns the paths. */
export async function ensureBuilt(): Promise<Built> {
  mkdirSync(cacheRoot, { recursive: true });
  const { serverBinary, serverPath } = await buildServer();
  const appsPluginBundle = await buildAppsPlugin();
  return {
    serverBinary,
    serverPath,
    appsPluginBundle,
    versions: {
      serverModule: `${MM_SERVER_MODULE}@${MM_SERVER_VERSION}`,
      publicModule: `github.com/mattermost/mattermost/server/public@${MM_PUBLIC_VERSION}`,
      reportedVersion: MM_REPORTED_VERSION,
      appsPlugin: `${APPS_PLUGIN_MODULE}@${APPS_PLUGIN_VERSION}`,
    },
  };
}
