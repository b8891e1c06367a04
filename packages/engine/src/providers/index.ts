/** The preset registry: one small file per provider, looked up by name. */
import { oauthError } from '../error_mapping.js';
import type { PresetName } from '../types.js';
import { githubPreset } from './github.js';
import { gitlabPreset } from './gitlab.js';
import { googlePreset } from './google.js';
import { mattermostPreset } from './mattermost.js';
import { microsoftPreset } from './microsoft.js';
import { oauth2Preset } from './oauth2.js';
import { oidcPreset } from './oidc.js';
import type { ProviderPreset } from './preset.js';

const PRESETS: Record<PresetName, ProviderPreset> = {
  github: githubPreset,
  gitlab: gitlabPreset,
  google: googlePreset,
  microsoft: microsoftPreset,
  mattermost: mattermostPreset,
  oidc: oidcPreset,
  oauth2: oauth2Preset,
};

/** The preset of that name; OAuthError('config') for an unknown name. */
export function getPreset(name: PresetName): ProviderPreset {
  const preset = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!preset) throw oauthError('config', `Unknown provider preset "${String(name)}".`);
  return preset;
}

/** Every preset, for the admin form. */
export function listPresets(): ProviderPreset[] {
  return Object.values(PRESETS);
}

export type { PresetDefaults, PresetField, ProviderPreset } from './preset.js';
