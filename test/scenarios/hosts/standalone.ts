/**
 * The scenario host on the standalone host: the real service (startService:
 * the router with every subcommand as the service wires them, SQL storage on
 * SQLite or PostgreSQL per SCENARIO_STORAGE, the bound sealer, the bot) on
 * 127.0.0.1, behind a Mattermost without the Apps plugin: the in-process fake
 * (standalone_fake.ts) or a real server (standalone_real.ts). Typed commands
 * and dialogs travel as that Mattermost carries them.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { TeamAdminKit } from './team_admin.js';
import type { RunningService } from '../../../src/service.js';
import { completeUrl } from '../../../src/hosts/standalone/providers.js';
import { connectInBrowser, launchBrowser } from '../../support/browser.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import { TEST_PROVIDER_IDS } from '../../support/redirects.js';
import type { BackendName } from '../../support/standalone_db.js';
import { startListeningService, type ListeningService } from '../../support/standalone_service.js';
import type { BrowserCookie } from '../backend.js';
import type { Answer, Person, RawFlow, ScenarioHost } from '../host.js';
import { standaloneFlow } from './standalone_flow.js';
import { DialogForm, type DialogAnswer, type DialogSubmission, type OpenedDialog } from './standalone_dialog.js';

/** What a command answered: its ephemeral text, and the dialog it opened for the user, if any. */
export interface CommandOutcome {
  text: string;
  dialog?: OpenedDialog;
}

/** What a button click answered: the text shown to the clicking user only, and the message as it reads afterwards. */
export interface ButtonOutcome {
  ephemeral?: string;
  message: string;
}

/** A Mattermost without the Apps plugin, as the standalone host and its users see it. */
export interface StandaloneMattermost {
  readonly backend: 'fake' | 'real';
  /** The Site URL (what the service and browsers use). */
  readonly url: string;
  readonly admin: Person;
  /** The team and channel commands are typed in. */
  readonly teamId: string;
  readonly channelId: string;
  /** Secrets of this Mattermost's side (bot token, OAuth client secret) that no log line may hold. */
  readonly secrets: string[];
  /** What `oauth2-connect setup` leaves behind: the bot, the trusted OAuth app, /oauth2 in the teams. */
  install(service: RunningService, rootUrl: string): Promise<void>;
  uninstall(service: RunningService, rootUrl: string): Promise<void>;
  createUser(username: string): Promise<Person>;
  /** `/oauth2 <text>` typed by the user in a channel. */
  execute(user: Person, text: string): Promise<CommandOutcome>;
  /** A dialog submission by the user, as Mattermost forwards it to `url`. */
  submitDialog(user: Person, url: string, body: DialogSubmission): Promise<DialogAnswer>;
  browserCookies(user: Person): BrowserCookie[];
  /** The bot's DMs to the user, oldest first. */
  directMessages(user: Person): Promise<string[]>;
  /** The user clicks the button named `name` on the bot's latest DM that has one, as Mattermost forwards it; the message afterwards. */
  clickButton(user: Person, name: string): Promise<ButtonOutcome>;
  /** The user becomes a team admin (their own team) and holds what that gives them: the command token, triggers signed for them. */
  teamAdminKit(user: Person, service: RunningService, rootUrl: string): Promise<TeamAdminKit>;
  close(): Promise<void>;
}

/** The provider is typed (`/oauth2 whoami idp`, `provider remove idp`); every other value, a removal's confirmation too, belongs in the dialog. */
function typedWords(words: string[], values: Record<string, string | boolean>): { text: string; dialogValues: Record<string, string | boolean> } {
  const typed = [...words];
  const dialogValues: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(values)) {
    if (name === 'provider') typed.push(String(value));
    else dialogValues[name] = value;
  }
  return { text: typed.join(' '), dialogValues };
}

const COMPLETED = /Connected as .+ You can close this window\./s;
const LINK = /\]\((https?:\/\/[^)\s]+\/standalone\/connect\?[^)\s]+)\)/;

export const scenarioStorage = (): BackendName => (process.env.SCENARIO_STORAGE === 'postgres' ? 'postgres' : 'sqlite');

export interface StandaloneHostOptions {
  accessTokenTtlSeconds?: number;
}

export class StandaloneHost implements ScenarioHost {
  readonly name = 'standalone' as const;
  private constructor(
    readonly mm: StandaloneMattermost,
    readonly service: RunningService,
    readonly rootUrl: string,
    readonly provider: StartedOidcProvider,
    private readonly browser: Browser,
    readonly logs: string[],
    private readonly ownSecrets: string[],
    private readonly cleanups: Array<() => Promise<unknown>>,
    readonly clock: { offsetMs: number },
    private readonly running: ListeningService,
    private readonly metricsToken: string,
  ) {}

  /** Another replica of the service on the same PostgreSQL database, key and clock (closed with the host); its root URL. */
  async startReplica(): Promise<{ rootUrl: string; logs: string[] }> {
    const replica = await startListeningService({
      storage: scenarioStorage(),
      mattermostUrl: () => this.mm.url,
      now: () => Date.now() + this.clock.offsetMs,
      replicaOf: this.running,
    });
    this.cleanups.push(() => replica.close());
    return { rootUrl: replica.root, logs: replica.logs };
  }

  static async start(mattermost: (rootUrl: string) => Promise<StandaloneMattermost>, options: StandaloneHostOptions = {}): Promise<StandaloneHost> {
    const cleanups: Array<() => Promise<unknown>> = [];
    const close = async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    };
    try {
      const clock = { offsetMs: 0 };
      const holder: { mm?: StandaloneMattermost } = {};
      const running = await startListeningService({
        storage: scenarioStorage(),
        mattermostUrl: async (root) => (holder.mm = await mattermost(root)).url,
        now: () => Date.now() + clock.offsetMs,
      }).catch(async (err: unknown) => {
        await holder.mm?.close();
        throw err;
      });
      const mm = holder.mm!;
      const { service, root: rootUrl } = running;
      cleanups.push(
        () => mm.close(),
        () => running.close(),
      );
      await mm.install(service, rootUrl);
      cleanups.push(() => mm.uninstall(service, rootUrl));
      const provider = await startOidcProvider({
        redirectUris: TEST_PROVIDER_IDS.map((id) => completeUrl(rootUrl, id)),
        ...(options.accessTokenTtlSeconds && { accessTokenTtlSeconds: options.accessTokenTtlSeconds }),
      });
      cleanups.push(() => provider.close());
      const browser = await launchBrowser();
      cleanups.push(() => browser.close());
      const secrets = [running.encryptionKey, running.metricsToken];
      return new StandaloneHost(mm, service, rootUrl, provider, browser, running.logs, secrets, cleanups, clock, running, running.metricsToken);
    } catch (err) {
      await close();
      throw err;
    }
  }

  get backend() {
    return this.mm.backend;
  }
  get label() {
    return `standalone host, ${this.backend} backend, ${scenarioStorage()}`;
  }
  get admin() {
    return this.mm.admin;
  }
  get secrets() {
    return [...this.ownSecrets, ...this.mm.secrets, ...Object.values(this.provider.clients).flatMap((c) => c.client_secret ?? [])];
  }
  /** The service's repositories, for scenarios that check what was stored. */
  get repositories() {
    return this.service.standalone!.repositories;
  }

  createUser(prefix: string): Promise<Person> {
    return this.mm.createUser(`${prefix}${Date.now() % 100000}`);
  }

  dialogForm(user: Person, opened: OpenedDialog): DialogForm {
    return new DialogForm(opened, {
      submit: (url, body) => this.mm.submitDialog(user, url, body),
      directMessages: () => this.mm.directMessages(user),
    });
  }

  async command(user: Person, words: string[], values: Record<string, string | boolean> = {}): Promise<Answer> {
    const { text, dialogValues } = typedWords(words, values);
    const outcome = await this.mm.execute(user, text);
    const pending = Object.keys(dialogValues);
    if (!outcome.dialog) {
      if (pending.length > 0) throw new Error(`/oauth2 ${text} opened no dialog for ${pending.join(', ')}: ${outcome.text}`);
      return { kind: 'text', text: outcome.text };
    }
    const form = this.dialogForm(user, outcome.dialog);
    if (pending.length === 0) return { kind: 'form', form, text: outcome.text };
    await form.fill(dialogValues);
    return form.submit();
  }

  async connectLink(user: Person, provider: string): Promise<string> {
    const { text } = await this.mm.execute(user, `connect ${provider}`);
    const link = LINK.exec(text)?.[1];
    assert.ok(link?.startsWith(`${this.rootUrl}/standalone/connect?`), `the connect answer links to the service: ${text}`);
    return link!;
  }

  async openInBrowser(user: Person, url: string, login: string) {
    const result = await connectInBrowser(this.browser, this.mm.browserCookies(user), url, login, this.provider.issuer);
    return { completed: COMPLETED.test(result.text), text: result.text };
  }

  async startFlow(user: Person, provider: string, login: string, deny = false): Promise<RawFlow> {
    const link = await this.connectLink(user, provider);
    return standaloneFlow({
      link,
      cookies: this.mm.browserCookies(user),
      provider: this.provider,
      redirectUri: this.redirectUri(provider),
      login,
      deny,
      completed: COMPLETED,
    });
  }

  directMessages(user: Person): Promise<string[]> {
    return this.mm.directMessages(user);
  }

  teamAdminKit(user: Person): Promise<TeamAdminKit> {
    return this.mm.teamAdminKit(user, this.service, this.rootUrl);
  }

  async metrics(): Promise<string> {
    const res = await fetch(`${this.rootUrl}/metrics`, { headers: { authorization: `Bearer ${this.metricsToken}` } });
    assert.equal(res.status, 200, 'GET /metrics with the token');
    return res.text();
  }

  redirectUri(providerId: string): string {
    return completeUrl(this.rootUrl, providerId);
  }

  async close(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}
