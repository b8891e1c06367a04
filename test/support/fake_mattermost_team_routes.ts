/**
 * The fake's custom slash command routes, with Mattermost's team-scoped rules
 * (a team admin holds manage_slash_commands and manage_others_slash_commands
 * in their team, a system admin everywhere), and the direct message routes a
 * bot uses: the user list by role, direct channels, posts.
 */
import { FakeHttpError, ID, isSystemAdmin, newId, OK, type Call, type FakeCommand, type FakeMattermostState, type Route } from './fake_mattermost_state.js';

export function commandRoutes(s: FakeMattermostState): Route[] {
  const commandsOn = () => {
    if (s.service.EnableCommands !== true) throw new FakeHttpError(501, 'api.command.disabled.app_error');
  };
  const manages = (c: Call, teamId: string) => {
    commandsOn();
    const team = s.teams.get(teamId);
    if (!team) throw new FakeHttpError(404, 'app.team.get.find.app_error');
    if (!isSystemAdmin(c.caller) && !team.admins.has(c.caller.id)) throw new FakeHttpError(403, 'api.context.permissions.app_error');
  };
  const live = (c: Call): FakeCommand => {
    const command = s.commands.get(c.params[0] ?? '');
    if (!command || command.delete_at !== 0) throw new FakeHttpError(404, 'app.command.getcommand.app_error');
    manages(c, command.team_id);
    return command;
  };
  return [
    {
      method: 'GET',
      path: /^\/api\/v4\/commands$/,
      handle: (c) => {
        const teamId = c.query.get('team_id');
        if (!teamId || c.query.get('custom_only') !== 'true') throw new FakeHttpError(400, 'fake.only_custom_listing');
        manages(c, teamId);
        return s.liveCommands(teamId);
      },
    },
    {
      method: 'POST',
      path: /^\/api\/v4\/commands$/,
      status: 201,
      handle: (c) => {
        manages(c, c.body.team_id);
        if (s.liveCommands(c.body.team_id).some((x) => x.trigger === c.body.trigger)) throw new FakeHttpError(400, 'api.command.duplicate_trigger.app_error');
        const command = { ...c.body, id: newId(), token: newId(), creator_id: c.caller.id, delete_at: 0 };
        s.commands.set(command.id, command);
        return command;
      },
    },
    {
      method: 'PUT',
      path: new RegExp(`^/api/v4/commands/${ID}$`),
      handle: (c) => {
        const old = live(c);
        if (c.body.team_id !== old.team_id) throw new FakeHttpError(400, 'api.command.team_mismatch.app_error');
        const next = { ...old, ...c.body, token: old.token, creator_id: old.creator_id, team_id: old.team_id };
        s.commands.set(old.id, next);
        return next;
      },
    },
    {
      method: 'PUT',
      path: new RegExp(`^/api/v4/commands/${ID}/regen_token$`),
      handle: (c) => {
        const command = live(c);
        command.token = newId();
        return { token: command.token };
      },
    },
    {
      method: 'DELETE',
      path: new RegExp(`^/api/v4/commands/${ID}$`),
      handle: (c) => {
        const command = live(c);
        command.delete_at = Date.now();
        return OK;
      },
    },
  ];
}

export function messageRoutes(s: FakeMattermostState): Route[] {
  const channels = new Map<string, string[]>();
  return [
    {
      method: 'GET',
      path: /^\/api\/v4\/users$/,
      handle: (c) => {
        const per = Number(c.query.get('per_page') ?? 60);
        const page = Number(c.query.get('page') ?? 0);
        const role = c.query.get('role');
        return [...s.users.values()]
          .filter((u) => (!role || u.roles.split(' ').includes(role)) && (c.query.get('active') !== 'true' || u.delete_at === 0))
          .slice(page * per, (page + 1) * per);
      },
    },
    {
      method: 'POST',
      path: /^\/api\/v4\/channels\/direct$/,
      status: 201,
      handle: (c) => {
        const members = [...(c.body as string[])].sort();
        if (!members.includes(c.caller.id)) throw new FakeHttpError(403, 'api.context.permissions.app_error');
        const id = members.join('').slice(0, 26);
        channels.set(id, members);
        return { id, type: 'D' };
      },
    },
    {
      method: 'POST',
      path: /^\/api\/v4\/posts$/,
      status: 201,
      handle: (c) => {
        const members = channels.get(c.body.channel_id);
        if (!members?.includes(c.caller.id)) throw new FakeHttpError(403, 'api.context.permissions.app_error');
        const to = members.find((m) => m !== c.caller.id) ?? c.caller.id;
        s.directPosts.push({ from: c.caller.id, to, message: c.body.message });
        return { id: newId(), ...c.body, user_id: c.caller.id };
      },
    },
  ];
}
