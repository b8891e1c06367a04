/**
 * Where the service listens and how it is reached: the main listener (HOST,
 * PORT, APP_ROOT_URL) and, when APP_APPS_PORT is set, a listener of the Apps
 * host's own (APP_APPS_HOST, APP_APPS_ROOT_URL), so the Apps calls can stay on
 * a private interface while the standalone pages are public. Whether anything
 * is reachable beyond this machine decides which settings are required
 * (checks.ts): a bind address or a root URL that is not loopback counts, since
 * a service behind a reverse proxy listens on 127.0.0.1 yet is public through
 * its root URL.
 */
import { z } from 'zod';
import { ConfigError, httpUrl, integer, isLoopbackHost, optionalSetting, setting } from './fields.js';

/** The Apps host's own listener, and the URL the Mattermost server reaches it at (the manifest's root_url). */
export interface AppsListener {
  host: string;
  port: number;
  rootUrl: string;
}

export function defaultRootUrl(host: string, port: number): string {
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

export const listening = z
  .object({
    HOST: setting(z.string(), '127.0.0.1'),
    PORT: setting(integer(0, 65535), 4000),
    APP_ROOT_URL: optionalSetting(httpUrl),
    APP_APPS_HOST: optionalSetting(z.string()),
    APP_APPS_PORT: optionalSetting(integer(0, 65535)),
    APP_APPS_ROOT_URL: optionalSetting(httpUrl),
  })
  .transform((env) => {
    if (env.APP_APPS_PORT === undefined && (env.APP_APPS_HOST !== undefined || env.APP_APPS_ROOT_URL !== undefined)) {
      const variable = env.APP_APPS_HOST !== undefined ? 'APP_APPS_HOST' : 'APP_APPS_ROOT_URL';
      throw new ConfigError(variable, 'is set but APP_APPS_PORT is not: set APP_APPS_PORT to give the Apps host a listener of its own, or unset it.');
    }
    const appsHost = env.APP_APPS_HOST ?? '127.0.0.1';
    return {
      host: env.HOST,
      port: env.PORT,
      /** The service's URL as the Mattermost server and browsers reach it; undefined here, filled in by loadConfig. */
      rootUrl: env.APP_ROOT_URL,
      /** Undefined: the Apps host answers on the main listener. */
      appsListener:
        env.APP_APPS_PORT === undefined
          ? undefined
          : { host: appsHost, port: env.APP_APPS_PORT, rootUrl: env.APP_APPS_ROOT_URL ?? defaultRootUrl(appsHost, env.APP_APPS_PORT) },
    };
  });

export interface Reach {
  host: string;
  rootUrl: string;
  appsListener: AppsListener | undefined;
}

/** A setting that makes the service reachable: its variable, its value, and the host name in it. */
type Place = [variable: string, value: string, host: string];

/** The first of `places` whose host is not loopback, as "VARIABLE=value" for a message. */
function firstPublic(places: Place[]): string | undefined {
  const found = places.find(([, , host]) => !isLoopbackHost(host));
  return found && `${found[0]}=${found[1]}`;
}

// A URL that does not parse (a HOST with odd characters) names no loopback host, so it counts as public.
const urlPlace = (variable: string, url: string): Place => [variable, url, URL.canParse(url) ? new URL(url).hostname : url];

/** What makes the Apps host reachable beyond this machine (its listener's bind address or root URL); undefined when nothing does. */
export function publicAppsAddress(reach: Reach): string | undefined {
  const apps = reach.appsListener;
  if (apps) return firstPublic([['APP_APPS_HOST', apps.host, apps.host], urlPlace('APP_APPS_ROOT_URL', apps.rootUrl)]);
  return firstPublic([['HOST', reach.host, reach.host], urlPlace('APP_ROOT_URL', reach.rootUrl)]);
}

/** What makes any part of the service reachable beyond this machine; undefined when nothing does. */
export function publicAddress(reach: Reach): string | undefined {
  return firstPublic([['HOST', reach.host, reach.host], urlPlace('APP_ROOT_URL', reach.rootUrl)]) ?? publicAppsAddress(reach);
}
