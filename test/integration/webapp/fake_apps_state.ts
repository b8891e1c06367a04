// The App as the browser test sees it through the Apps plugin: a few providers
// whose connections change as the panel's calls arrive.
import type { PanelData, PanelProvider } from '../../../src/hosts/apps/protocol/panel_types.js';

const HOUR = 3_600_000;

export interface CallBody {
  path: string;
  expand?: Record<string, string>;
  values?: Record<string, unknown>;
  context?: Record<string, unknown>;
  selected_field?: string;
}

type Answer = Record<string, unknown>;

export class FakeApp {
  pendingConnect: string | null = null;
  providers: PanelProvider[] = [
    { id: 'github', display_name: 'GitHub', preset: 'github', connected: false },
    {
      id: 'gitlab',
      display_name: 'GitLab',
      preset: 'gitlab',
      connected: true,
      account_label: 'jane.doe',
      connected_at: Date.now() - 30 * 24 * HOUR,
      expires_at: Date.now() + 2 * HOUR,
    },
    {
      id: 'google',
      display_name: 'Google',
      preset: 'google',
      connected: true,
      account_label: 'jane@example.com',
      connected_at: Date.now() - 90 * 24 * HOUR,
      broken: true,
      broken_reason: 'Google revoked the refresh token',
    },
  ];

  constructor(private readonly connectUrl: string) {}

  panel(): PanelData {
    return { providers: this.providers, is_admin: true };
  }

  find(values: CallBody['values']): PanelProvider | undefined {
    const id = (values?.provider as { value?: string } | undefined)?.value;
    return this.providers.find((p) => p.id === id);
  }

  /** What the App answers to one call. */
  answer(body: CallBody): Answer {
    switch (body.path) {
      case '/panel':
        return { type: 'ok', data: this.panel() };
      case '/connect': {
        const provider = this.find(body.values);
        if (!provider) return { type: 'error', text: 'Unknown provider.' };
        this.pendingConnect = provider.id;
        return { type: 'ok', data: { connect_url: this.connectUrl, provider: provider.id } };
      }
      case '/disconnect': {
        const provider = this.find(body.values);
        if (!provider) return { type: 'error', text: 'Unknown provider.' };
        Object.assign(provider, { connected: false, broken: false, account_label: undefined, connected_at: undefined, expires_at: undefined });
        return { type: 'ok', text: `Disconnected from ${provider.display_name}.` };
      }
      case '/provider/add/form':
        return { type: 'form', form: addForm() };
      case '/provider/add': {
        const name = String(body.values?.display_name ?? '');
        const preset = (body.values?.preset as { value?: string } | undefined)?.value ?? 'oidc';
        if (!name) return { type: 'error', text: 'Fix the form.', data: { errors: { display_name: 'A name is required.' } } };
        this.providers.push({ id: name.toLowerCase().replace(/\W+/g, '-'), display_name: name, preset, connected: false });
        return { type: 'ok', text: `Added ${name}.` };
      }
      default:
        return { type: 'error', text: `No handler for ${body.path}.` };
    }
  }

  /** The provider's consent and the Apps plugin's complete step, in one go. */
  completeConnect(): string | null {
    const provider = this.providers.find((p) => p.id === this.pendingConnect);
    this.pendingConnect = null;
    if (!provider) return null;
    const labels: Record<string, string> = { github: 'octocat', google: 'jane@example.com' };
    Object.assign(provider, {
      connected: true,
      broken: false,
      broken_reason: undefined,
      account_label: labels[provider.id] ?? 'user',
      connected_at: Date.now(),
      expires_at: Date.now() + 8 * HOUR,
    });
    return provider.display_name;
  }
}

function addForm() {
  return {
    title: 'Add an OAuth2 provider',
    submit: { path: '/provider/add', expand: { acting_user: 'summary', acting_user_access_token: 'all' } },
    source: { path: '/provider/add/form', expand: { acting_user: 'summary' } },
    fields: [
      {
        name: 'preset',
        type: 'static_select',
        modal_label: 'Preset',
        is_required: true,
        options: [
          { label: 'Generic OIDC', value: 'oidc' },
          { label: 'GitHub', value: 'github' },
        ],
      },
      { name: 'display_name', type: 'text', modal_label: 'Display name', is_required: true },
      { name: 'client_id', type: 'text', modal_label: 'Client ID', is_required: true },
      { name: 'client_secret', type: 'text', subtype: 'password', modal_label: 'Client secret', is_required: true },
    ],
  };
}
