/** The provider types an admin can choose, and those that support dynamic registration. */
import { listPresets } from '../../oauth/providers/index.js';
import type { PresetName } from '../../oauth/types.js';

const PRESET_NAMES = listPresets().map((p) => p.name);
export const isPreset = (v: string | undefined): v is PresetName => v !== undefined && (PRESET_NAMES as string[]).includes(v);

export const REGISTRABLE_PRESETS: PresetName[] = ['mattermost', 'oidc', 'oauth2', 'gitlab'];
