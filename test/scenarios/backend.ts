/**
 * What the Apps host needs from "a Mattermost server with the Apps plugin",
 * whichever runs it: the in-process fake (default) or a real server
 * (SCENARIO_BACKEND=real, test/e2e). The Apps-protocol scenarios and the Apps
 * scenario host (hosts/apps.ts) use only this interface; host-neutral
 * scenarios use host.ts.
 */
import type { Binding, CallResponse } from '../../src/hosts/apps/protocol/types.js';

export interface ScenarioUser {
  id: string;
  username: string;
  isAdmin: boolean;
  /** A Mattermost login session token. */
  token: string;
}

export interface CallInput {
  path: string;
  expand?: Record<string, string>;
  state?: unknown;
  values?: Record<string, unknown>;
  selected_field?: string;
  query?: string;
  raw_command?: string;
}

export interface BrowserCookie {
  name: string;
  value: string;
  url: string;
}

export interface Backend {
  readonly name: 'fake' | 'real';
  readonly siteUrl: string;
  readonly admin: ScenarioUser;
  createUser(username: string): Promise<ScenarioUser>;
  /** /apps install http <manifest>, with the JWT secret in the consent modal. */
  installApp(manifestUrl: string, jwtSecret: string): Promise<void>;
  /** GET /plugins/com.mattermost.apps/api/v1/bindings as the user. */
  bindings(user: ScenarioUser): Promise<Binding[]>;
  /** POST /plugins/com.mattermost.apps/api/v1/call as the webapp does. */
  call(user: ScenarioUser, input: CallInput): Promise<CallResponse>;
  /** The cookies that log a browser in as the user. */
  browserCookies(user: ScenarioUser): BrowserCookie[];
  /** Messages the App's bot sent the user, oldest first. */
  directMessages(user: ScenarioUser): Promise<string[]>;
  close(): Promise<void>;
}
