/** The routes of the fake Mattermost REST server (see fake_mattermost_rest.ts). */
import { commandRoutes, messageRoutes } from './fake_mattermost_team_routes.js';
import { FakeHttpError, ID, newId, OK, type Call, type FakeMattermostState, type FakeUser, type Route } from './fake_mattermost_state.js';

export function fakeRoutes(s: FakeMattermostState): Route[] {
  const admin = (c: Call) => {
    if (!c.caller.roles.split(' ').includes('system_admin')) throw new FakeHttpError(403, 'api.context.permissions.app_error');
  };
  const found = <T>(value: T | undefined): T => {
    if (value === undefined) throw new FakeHttpError(404, 'app.not_found');
    return value;
  };
  const user = (id: string | undefined) => found(s.users.get(id ?? ''));
  const oauthAllowed = (c: Call) => {
    admin(c);
    if (!s.roles.get('system_admin')!.permissions.includes('manage_oauth')) throw new FakeHttpError(403, 'api.context.permissions.app_error');
  };
  const bot = (u: FakeUser) => ({ user_id: u.id, username: u.username, display_name: u.display_name, description: u.description, delete_at: u.delete_at });

  return [
    { method: 'GET', path: /^\/api\/v4\/users\/me$/, handle: (c) => c.caller },
    { method: 'GET', path: /^\/api\/v4\/users\/username\/([^/]+)$/, handle: (c) => found([...s.users.values()].find((u) => u.username === c.params[0])) },
    { method: 'GET', path: new RegExp(`^/api/v4/users/${ID}$`), handle: (c) => user(c.params[0]) },
    {
      // The real server lets only manage_system patch a system admin's record; the fake asks it for every record.
      method: 'PUT',
      path: new RegExp(`^/api/v4/users/${ID}/patch$`),
      handle: (c) => {
        admin(c);
        const target = user(c.params[0]);
        if (c.body.props) target.props = { ...c.body.props };
        return target;
      },
    },
    {
      method: 'PUT',
      path: new RegExp(`^/api/v4/users/${ID}/roles$`),
      handle: (c) => {
        admin(c);
        const target = user(c.params[0]);
        const isAdmin = (u: FakeUser) => u.roles.split(' ').includes('system_admin');
        // As the real server (app/user.go UpdateUserRolesWithUser): the count ignores bots and deactivated users.
        const people = [...s.users.values()].filter((u) => !u.is_bot && u.delete_at === 0 && isAdmin(u)).length;
        if (isAdmin(target) && !c.body.roles.split(' ').includes('system_admin') && people <= 1)
          throw new FakeHttpError(400, 'app.user.update.lastAdmin.app_error');
        target.roles = c.body.roles;
        return OK;
      },
    },
    {
      method: 'POST',
      path: new RegExp(`^/api/v4/users/${ID}/tokens$`),
      handle: (c) => {
        admin(c);
        const token = s.tokenFor(user(c.params[0]).id, c.body.description);
        return { ...s.tokens.get(token) };
      },
    },
    {
      method: 'GET',
      path: new RegExp(`^/api/v4/users/${ID}/tokens$`),
      handle: (c) => {
        admin(c);
        return [...s.tokens.values()].filter((t) => t.user_id === c.params[0]).map(({ token: _hidden, ...rest }) => rest);
      },
    },
    {
      method: 'POST',
      path: /^\/api\/v4\/users\/tokens\/revoke$/,
      handle: (c) => {
        admin(c);
        const entry = found([...s.tokens.entries()].find(([, t]) => t.id === c.body.token_id));
        s.tokens.delete(entry[0]);
        return OK;
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v4\/config$/,
      handle: (c) => {
        admin(c);
        return { ServiceSettings: { ...s.service } };
      },
    },
    { method: 'GET', path: /^\/api\/v4\/roles\/name\/([a-z_]+)$/, handle: (c) => found(s.roles.get(c.params[0]!)) },
    {
      method: 'POST',
      path: /^\/api\/v4\/bots$/,
      status: 201,
      handle: (c) => {
        admin(c);
        if (s.service.EnableBotAccountCreation !== true) throw new FakeHttpError(403, 'api.bot.create_disabled');
        if ([...s.users.values()].some((u) => u.username === c.body.username)) throw new FakeHttpError(400, 'app.user.save.username_exists.app_error');
        const u = s.addUser(c.body.username, 'system_user', true);
        Object.assign(u, { display_name: c.body.display_name, description: c.body.description });
        return bot(u);
      },
    },
    { method: 'GET', path: new RegExp(`^/api/v4/bots/${ID}$`), handle: (c) => bot(user(c.params[0])) },
    {
      method: 'PUT',
      path: new RegExp(`^/api/v4/bots/${ID}$`),
      handle: (c) => {
        admin(c);
        return bot(Object.assign(user(c.params[0]), c.body));
      },
    },
    {
      method: 'POST',
      path: new RegExp(`^/api/v4/bots/${ID}/(enable|disable)$`),
      handle: (c) => {
        admin(c);
        const u = user(c.params[0]);
        u.delete_at = c.params[1] === 'disable' ? Date.now() : 0;
        return bot(u);
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v4\/oauth\/apps$/,
      handle: (c) => {
        oauthAllowed(c);
        return [...s.oauthApps.values()];
      },
    },
    {
      method: 'GET',
      path: new RegExp(`^/api/v4/oauth/apps/${ID}$`),
      handle: (c) => {
        oauthAllowed(c);
        return found(s.oauthApps.get(c.params[0]!));
      },
    },
    {
      method: 'POST',
      path: /^\/api\/v4\/oauth\/apps$/,
      status: 201,
      handle: (c) => {
        oauthAllowed(c);
        if (s.service.EnableOAuthServiceProvider !== true) throw new FakeHttpError(501, 'api.oauth.register_oauth_app.turn_off.app_error');
        const app = { ...c.body, id: newId(), client_secret: newId(), creator_id: c.caller.id };
        s.oauthApps.set(app.id, app);
        return app;
      },
    },
    {
      method: 'PUT',
      path: new RegExp(`^/api/v4/oauth/apps/${ID}$`),
      handle: (c) => {
        oauthAllowed(c);
        const old = found(s.oauthApps.get(c.params[0]!));
        const app = { ...old, ...c.body, id: old.id, client_secret: old.client_secret, creator_id: old.creator_id };
        s.oauthApps.set(app.id, app);
        return app;
      },
    },
    {
      method: 'POST',
      path: new RegExp(`^/api/v4/oauth/apps/${ID}/regen_secret$`),
      handle: (c) => {
        oauthAllowed(c);
        const app = found(s.oauthApps.get(c.params[0]!));
        app.client_secret = newId();
        return app;
      },
    },
    {
      method: 'DELETE',
      path: new RegExp(`^/api/v4/oauth/apps/${ID}$`),
      handle: (c) => {
        oauthAllowed(c);
        found(s.oauthApps.get(c.params[0]!));
        s.oauthApps.delete(c.params[0]!);
        return OK;
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v4\/teams$/,
      handle: (c) => {
        admin(c);
        const per = Number(c.query.get('per_page') ?? 60);
        const page = Number(c.query.get('page') ?? 0);
        return [...s.teams.values()]
          .filter((t) => t.delete_at === 0)
          .slice(page * per, (page + 1) * per)
          .map(({ admins: _admins, ...team }) => team);
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v4\/plugins$/,
      handle: (c) => {
        admin(c);
        if (!s.pluginsEnabled) throw new FakeHttpError(501, 'app.plugin.disabled.app_error');
        return { active: s.activePlugins.map((id) => ({ id })), inactive: [] };
      },
    },
    ...commandRoutes(s),
    ...messageRoutes(s),
  ];
}
