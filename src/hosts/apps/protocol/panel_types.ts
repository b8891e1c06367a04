/**
 * The data of the webapp's "Connected accounts" panel: the `data` of an `ok`
 * response to CallPath.panel. Shared with the webapp plugin.
 */
import type { PanelGrant, PanelProvider } from '../../../core/panel_provider.js';

export type { PanelGrant, PanelProvider };

export interface PanelData {
  providers: PanelProvider[];
  is_admin: boolean;
  /** The Apps plugin's connect_url; open it after a successful CallPath.connect. */
  connect_url?: string;
}

/** The `data` of an `ok` response to CallPath.connect. */
export interface ConnectData {
  connect_url: string;
  provider: string;
}
