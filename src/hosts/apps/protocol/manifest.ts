/**
 * The App manifest: manifest.json at the top of the repository, checked when
 * the App starts, with root_url and use_jwt filled from the configuration.
 * Its version is package.json's with a "v" (test/unit/app/manifest.test.ts).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const call = z.object({ path: z.string().startsWith('/'), expand: z.record(z.string(), z.string()).optional() });

const ManifestFile = z.looseObject({
  app_id: z.string().regex(/^[a-z0-9-]{3,32}$/),
  /** At most 10 characters (AppVersion.Validate). */
  version: z
    .string()
    .regex(/^v\d+\.\d+\.\d+$/)
    .max(10),
  display_name: z.string().min(1),
  icon: z.string().min(1),
  requested_permissions: z.array(z.string()),
  requested_locations: z.array(z.string()),
  bindings: call,
  on_install: call,
  get_oauth2_connect_url: call,
  on_oauth2_complete: call,
});
export type ManifestFile = z.output<typeof ManifestFile>;

const MANIFEST_FILE = new URL('../../../../manifest.json', import.meta.url);

function readManifestFile(): ManifestFile {
  const result = ManifestFile.safeParse(JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')));
  if (!result.success) throw new Error(`manifest.json is invalid: ${z.prettifyError(result.error)}`);
  return result.data;
}

export const MANIFEST: Readonly<ManifestFile> = Object.freeze(readManifestFile());
export const APP_ID = MANIFEST.app_id;
export const ICON = MANIFEST.icon;

export function buildManifest(rootUrl: string, useJwt: boolean): Record<string, unknown> {
  return { ...MANIFEST, http: { root_url: rootUrl, use_jwt: useJwt } };
}
