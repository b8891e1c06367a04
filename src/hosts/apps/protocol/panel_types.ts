/**
 * The data of the webapp's "Connected accounts" panel: the `data` of an `ok`
 * response to CallPath.panel. Shared with the webapp plugin.
 */
export interface PanelProvider {
  id: string;
  display_name: string;
  preset: string;
  connected: boolean;
  /** The account at the provider, e.g. "octocat" or "jane@example.com". */
  account_label?: string;
  /** Epoch ms of the connection. */
  connected_at?: number;
  /** Epoch ms when the access token expires; absent when unknown or not connected. */
  expires_at?: number;
  /** The stored token can no longer be used: the user must reconnect. */
  broken?: boolean;
  /** Why it is broken, in words for the user. */
  broken_reason?: string;
}

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
