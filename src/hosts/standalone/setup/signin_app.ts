/**
 * The trusted OAuth2 app behind "Sign in with Mattermost". Found by the stored
 * client id, else by name + callback URL; its secret is regenerated only when
 * the stored one is lost (existing Mattermost sessions stay valid).
 */
import type { OAuthApp } from '@mattermost/types/integrations';
import type { Installation } from '../ports.js';
import { unless404, type SetupContext } from './context.js';
import { SIGNIN_APP_DESCRIPTION, SIGNIN_APP_NAME, secretHint } from './names.js';

export interface SigninAppState {
  clientId: string;
  /** Undefined in check mode when the secret is lost. */
  clientSecret: string | undefined;
}

const RUN_SETUP = 'run oauth2-connect setup';

async function findApp(ctx: SetupContext, stored: Installation | undefined): Promise<OAuthApp | undefined> {
  if (stored?.oauth_client_id) {
    const byId = await unless404(() => ctx.admin.getOAuthApp(stored.oauth_client_id));
    if (byId) return byId;
  }
  const apps = await ctx.admin.getOAuthApps(0, 200);
  return apps.find((a) => a.name === SIGNIN_APP_NAME && a.callback_urls.includes(ctx.urls.signinCallback));
}

function wanted(ctx: SetupContext) {
  return {
    name: SIGNIN_APP_NAME,
    description: SIGNIN_APP_DESCRIPTION,
    homepage: ctx.urls.root,
    callback_urls: [ctx.urls.signinCallback],
    is_trusted: true,
  };
}

function differences(ctx: SetupContext, app: OAuthApp): string[] {
  const want = wanted(ctx);
  const found: string[] = [];
  if (app.callback_urls.length !== 1 || app.callback_urls[0] !== want.callback_urls[0]) found.push(`callback URLs ${JSON.stringify(app.callback_urls)}`);
  if (!app.is_trusted) found.push('not trusted');
  if (app.homepage !== want.homepage) found.push(`homepage ${app.homepage}`);
  if (app.name !== want.name) found.push(`name "${app.name}"`);
  return found;
}

export async function ensureSigninApp(ctx: SetupContext, stored: Installation | undefined): Promise<SigninAppState | undefined> {
  let app = await findApp(ctx, stored);
  if (!app) {
    if (!ctx.apply) return void ctx.report.problem(`the OAuth app "${SIGNIN_APP_NAME}" for Sign in with Mattermost does not exist`, RUN_SETUP);
    const made = await ctx.admin.createOAuthApp({ ...wanted(ctx), is_public: false });
    ctx.report.did(
      `created the trusted OAuth app "${SIGNIN_APP_NAME}" (client id ${made.id}, secret ${secretHint(made.client_secret)}), callback ${ctx.urls.signinCallback}`,
    );
    return { clientId: made.id, clientSecret: made.client_secret };
  }
  const wrong = differences(ctx, app);
  if (wrong.length > 0) {
    if (!ctx.apply) ctx.report.problem(`the OAuth app ${app.id} has ${wrong.join(', ')}`, RUN_SETUP);
    else {
      app = await ctx.admin.editOAuthApp({ ...app, ...wanted(ctx) });
      ctx.report.did(`updated the OAuth app ${app.id} (was: ${wrong.join(', ')})`);
    }
  } else ctx.report.ok(`OAuth app "${SIGNIN_APP_NAME}" (client id ${app.id})`);
  return { clientId: app.id, clientSecret: await secretFor(ctx, app, stored) };
}

async function secretFor(ctx: SetupContext, app: OAuthApp, stored: Installation | undefined): Promise<string | undefined> {
  if (stored?.oauth_client_id === app.id && stored.oauth_client_secret) return stored.oauth_client_secret;
  if (!ctx.apply) return void ctx.report.problem(`the client secret of the OAuth app ${app.id} is not stored`, RUN_SETUP);
  const regenerated = await ctx.admin.regenOAuthAppSecret(app.id);
  ctx.report.did(`the OAuth app's secret was not stored: regenerated it (${secretHint(regenerated.client_secret)})`);
  return regenerated.client_secret;
}
