/**
 * The scenario host on the Apps host: the App in-process behind the Apps
 * plugin (the fake, or the real server when SCENARIO_BACKEND=real). Typed
 * commands go through the webapp parser's rules and forms through the Apps
 * modal (commands.ts), as a person's webapp does.
 */
import { connectInBrowser } from '../../support/browser.js';
import { providerRedirectUri } from '../../../src/hosts/apps/calls/redirect_uri.js';
import type { CallResponse, Form } from '../../../src/hosts/apps/protocol/types.js';
import type { AppsModal } from '../../support/apps_rules/apps_modal.js';
import type { ScenarioUser } from '../backend.js';
import { CommandNotOffered, openModal, runCommand } from '../commands.js';
import type { Answer, OpenForm, Person, RawFlow, ScenarioHost } from '../host.js';
import { connectUntilRedirect, startConnect } from '../steps.js';
import { startWorld, type World, type WorldOptions } from '../world.js';

const COMPLETED = /Completed connecting your account/;

function modalForm(modal: AppsModal): OpenForm {
  const fields = () => modal.form.fields ?? [];
  return {
    get notes() {
      return fields()
        .filter((f) => f.type === 'markdown')
        .map((f) => f.description ?? '')
        .join('\n');
    },
    // An empty field shows nothing, whether the modal holds null or ''.
    shown: (name) => (modal.field(name) ? ((modal.shown(name) as string | boolean | null) ?? '') : undefined),
    isSecret: (name) => modal.field(name)?.subtype === 'password',
    fill: (values) => modal.fill(values),
    submit: async () => toAnswer(await modal.submit(), () => modal),
  };
}

/** The App's answer as the person sees it; a form answer is shown in `modalOf(form)` (a new modal, or the one that was saved). */
function toAnswer(response: CallResponse, modalOf: (form: Form) => AppsModal): Answer {
  if (response.type === 'error') return { kind: 'error', text: response.text, fieldErrors: response.data?.errors ?? {} };
  if (response.type === 'form') return { kind: 'form', form: modalForm(modalOf(response.form)), text: '' };
  if (response.type === 'ok') return { kind: 'text', text: response.text ?? '' };
  return { kind: 'text', text: `navigate to ${response.navigate_to_url}` };
}

export class AppsHost implements ScenarioHost {
  readonly name = 'apps' as const;
  private readonly users = new Map<string, ScenarioUser>();

  private constructor(readonly world: World) {
    this.users.set(world.backend.admin.id, world.backend.admin);
  }

  static async start(options: WorldOptions = {}): Promise<AppsHost> {
    return new AppsHost(await startWorld(options));
  }

  get backend() {
    return this.world.backend.name;
  }
  get label() {
    return `apps host, ${this.backend} backend`;
  }
  get admin(): Person {
    return this.world.backend.admin;
  }
  get provider() {
    return this.world.provider;
  }
  get clock() {
    return this.world.clock;
  }
  get logs() {
    return this.world.app.logs;
  }
  get secrets() {
    return [...this.world.app.secrets, ...Object.values(this.world.provider.clients).flatMap((c) => c.client_secret ?? [])];
  }

  private as(user: Person): ScenarioUser {
    const found = this.users.get(user.id);
    if (!found) throw new Error(`no session for ${user.username}`);
    return found;
  }

  async createUser(prefix: string): Promise<Person> {
    const user = await this.world.backend.createUser(`${prefix}${Date.now() % 100000}`);
    this.users.set(user.id, user);
    return user;
  }

  async command(user: Person, words: string[], values: Record<string, string | boolean> = {}): Promise<Answer> {
    const response = await runCommand(this.world.backend, this.as(user), words, values).catch((err: unknown) => {
      // The webapp offers no such command to this user: nothing reaches the App.
      if (err instanceof CommandNotOffered) return { type: 'error' as const, text: err.message };
      throw err;
    });
    return toAnswer(response, (form) => openModal(this.world.backend, this.as(user), form));
  }

  connectLink(user: Person, provider: string): Promise<string> {
    return startConnect(this.world, this.as(user), provider);
  }

  async openInBrowser(user: Person, url: string, login: string) {
    const result = await connectInBrowser(this.world.browser, this.world.backend.browserCookies(this.as(user)), url, login, this.provider.issuer);
    return { completed: COMPLETED.test(result.text), text: result.text };
  }

  async startFlow(user: Person, provider: string, login: string, deny = false): Promise<RawFlow> {
    const flow = await connectUntilRedirect(this.world, this.as(user), login, provider, deny);
    return {
      completeUrl: flow.completeUrl,
      complete: async (url) => {
        const { status, text } = await flow.complete(url);
        return { completed: status === 200 && COMPLETED.test(text), text };
      },
    };
  }

  directMessages(user: Person): Promise<string[]> {
    return this.world.backend.directMessages(this.as(user));
  }

  /** The Apps scenarios serve the Apps host alone (createService): its registry is read as /metrics would serve it. */
  async metrics(): Promise<string> {
    return (await this.world.app.deps.metrics!.exposition()).text;
  }

  redirectUri(providerId: string): string {
    return providerRedirectUri(this.world.completeUrl, providerId);
  }

  close(): Promise<void> {
    return this.world.close();
  }
}
