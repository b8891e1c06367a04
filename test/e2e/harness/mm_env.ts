// The MM_* environment of an E2E server: the only way the harness configures
// Mattermost (the config file only exists because the server wants it writable).
import { join } from 'node:path';

/**
 * Everything the server reaches out for is off; only loopback Apps are trusted.
 * `standalone`: no Apps framework (AppsEnabled off, as v12 forces), commands on,
 * and loopback allowed as a CIDR too (IPs match only CIDR entries: docs/mattermost.md,
 * "Outgoing requests from Mattermost").
 */
export function environment(url: string, port: number, db: string, dir: string, provider: boolean, standalone = false): NodeJS.ProcessEnv {
  const on = 'true';
  const off = 'false';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    MM_CONFIG: join(dir, 'config.json'),
    MM_SQLSETTINGS_DRIVERNAME: 'postgres',
    MM_SQLSETTINGS_DATASOURCE: `postgres://postgres@127.0.0.1:5432/${db}?sslmode=disable&connect_timeout=10`,
    // The machine's PostgreSQL allows 100 clients; two servers at the default 100 each ran out ("too many clients").
    MM_SQLSETTINGS_MAXOPENCONNS: '20',
    MM_SQLSETTINGS_MAXIDLECONNS: '5',
    MM_SERVICESETTINGS_SITEURL: url,
    MM_SERVICESETTINGS_LISTENADDRESS: `127.0.0.1:${port}`,
    MM_SERVICESETTINGS_ENABLEOAUTHSERVICEPROVIDER: on,
    MM_SERVICESETTINGS_ENABLEDYNAMICCLIENTREGISTRATION: provider ? on : off,
    MM_SERVICESETTINGS_ENABLEBOTACCOUNTCREATION: on,
    MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS: on,
    MM_SERVICESETTINGS_ENABLEDEVELOPER: on,
    MM_SERVICESETTINGS_ENABLETESTING: on,
    MM_SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS: standalone ? '127.0.0.1 127.0.0.0/8 localhost' : '127.0.0.1 localhost',
    MM_SERVICESETTINGS_ENABLECOMMANDS: on,
    // The suites put every user they make in one team: more than the default limit of 50 members.
    MM_TEAMSETTINGS_MAXUSERSPERTEAM: '10000',
    MM_SERVICESETTINGS_ENABLELINKPREVIEWS: off,
    MM_SERVICESETTINGS_ENABLEPERMALINKPREVIEWS: off,
    MM_SERVICESETTINGS_ENABLESECURITYFIXALERT: off,
    MM_SERVICESETTINGS_ENABLELOCALMODE: off,
    MM_SERVICESETTINGS_ENABLEAWSMETERING: off,
    MM_FEATUREFLAGS_APPSENABLED: standalone ? off : on,
    MM_PLUGINSETTINGS_ENABLE: on,
    MM_PLUGINSETTINGS_ENABLEUPLOADS: on,
    MM_PLUGINSETTINGS_DIRECTORY: join(dir, 'plugins'),
    MM_PLUGINSETTINGS_CLIENTDIRECTORY: join(dir, 'client', 'plugins'),
    MM_PLUGINSETTINGS_ENABLEMARKETPLACE: off,
    MM_PLUGINSETTINGS_ENABLEREMOTEMARKETPLACE: off,
    MM_PLUGINSETTINGS_AUTOMATICPREPACKAGEDPLUGINS: off,
    MM_PLUGINSETTINGS_REQUIREPLUGINSIGNATURE: off,
    MM_LOGSETTINGS_ENABLEDIAGNOSTICS: off,
    MM_LOGSETTINGS_ENABLESENTRY: off,
    MM_LOGSETTINGS_ENABLECONSOLE: off,
    MM_LOGSETTINGS_ENABLEFILE: on,
    // A production server's level; E2E_MM_LOG_LEVEL=DEBUG logs each request Mattermost handles, for a failure's diagnosis.
    MM_LOGSETTINGS_FILELEVEL: process.env.E2E_MM_LOG_LEVEL ?? 'INFO',
    MM_LOGSETTINGS_FILELOCATION: dir,
    MM_ANNOUNCEMENTSETTINGS_ADMINNOTICESENABLED: off,
    MM_ANNOUNCEMENTSETTINGS_USERNOTICESENABLED: off,
    MM_IMAGEPROXYSETTINGS_ENABLE: off,
    MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS: off,
    MM_EMAILSETTINGS_SENDPUSHNOTIFICATIONS: off,
    MM_EMAILSETTINGS_REQUIREEMAILVERIFICATION: off,
    MM_EMAILSETTINGS_ENABLEPREVIEWMODEBANNER: off,
    MM_EMAILSETTINGS_ENABLESIGNUPWITHEMAIL: on,
    MM_SUPPORTSETTINGS_ENABLEASKCOMMUNITYLINK: off,
    MM_PLUGINSETTINGS_ENABLEHEALTHCHECK: off,
    MM_METRICSSETTINGS_ENABLE: off,
    MM_FILESETTINGS_DIRECTORY: join(dir, 'data') + '/',
  };
  return env;
}

/**
 * The settings an admin sets on a fresh server for the standalone host (and the developer mode that
 * loosens what Mattermost may call): left at Mattermost's defaults on a server started `fresh`, so
 * only what a test applies (the README's list) sets them.
 */
const SET_BY_THE_ADMIN = [
  'MM_SERVICESETTINGS_SITEURL',
  'MM_SERVICESETTINGS_ENABLEOAUTHSERVICEPROVIDER',
  'MM_SERVICESETTINGS_ENABLEDYNAMICCLIENTREGISTRATION',
  'MM_SERVICESETTINGS_ENABLEBOTACCOUNTCREATION',
  'MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS',
  'MM_SERVICESETTINGS_ENABLEDEVELOPER',
  'MM_SERVICESETTINGS_ENABLETESTING',
  'MM_SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS',
  'MM_SERVICESETTINGS_ENABLECOMMANDS',
];

/** A server as it comes, without the Apps framework (v12's situation), plus `settings` (MM_* variables). */
export function freshEnvironment(url: string, port: number, db: string, dir: string, settings: Record<string, string>): NodeJS.ProcessEnv {
  const env = environment(url, port, db, dir, false, true);
  for (const key of SET_BY_THE_ADMIN) delete env[key];
  return { ...env, ...settings };
}
