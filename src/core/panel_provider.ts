/**
 * One provider's line in the webapp's "Connected accounts" panel (and in
 * `status`), whichever host serves it. Types only, so the webapp can import it.
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
  /** The integrations the user allowed to use this account; absent where the host has no token API (the Apps host). */
  grants?: PanelGrant[];
}

/** One integration (a token API client) the user allowed to use their account at a provider. */
export interface PanelGrant {
  client_id: string;
  client_name: string;
  /** The scopes the user saw and allowed. */
  scopes: string[];
  /** Epoch ms. */
  granted_at: number;
  /** Epoch ms of the client's last token for this account; absent when never used. */
  last_used_at?: number;
}
