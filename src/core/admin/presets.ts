/** The provider types an admin can choose, and those that support dynamic registration. */
import { listPresets, type PresetName } from '@oauth2-connect/engine';

const PRESET_NAMES = listPresets().map((p) => p.name);
export const isPreset = (v: string | undefined): v is PresetName => v !== undefined && (PRESET_NAMES as string[]).includes(v);

export const REGISTRABLE_PRESETS: PresetName[] = ['mattermost', 'oidc', 'oauth2', 'gitlab'];
