/**
 * Bindings, computed per request from {isAdmin, providers, connections}: no
 * round trip, since the manifest's bindings call expands oauth2_app (the
 * providers) and oauth2_user (the caller's connections). The `/oauth2`
 * subcommands follow the core's command list (command_bindings.ts). Bindings
 * are not a security boundary: admin handlers check the role again.
 */
import type { Binding, Call, Expand } from './types.js';
import { CallPath } from './paths.js';
import { ICON } from './manifest.js';
import { CALL_EXPAND } from './expand.js';
import { commandBindings, type BindingInput } from './command_bindings.js';

export type { BindingInput };

const BASE_COMMAND = 'oauth2';

const submitCall = (path: string, expand: Expand = CALL_EXPAND): Call => ({ path, expand });

export function computeBindings(input: BindingInput): Binding[] {
  return [
    {
      location: '/command',
      bindings: [
        {
          location: BASE_COMMAND,
          label: BASE_COMMAND,
          icon: ICON,
          description: 'Connect your accounts at OAuth2 providers',
          hint: '[command]',
          bindings: commandBindings(input),
        },
      ],
    },
    {
      location: '/channel_header',
      bindings: [{ location: 'accounts', label: 'Connected accounts', icon: ICON, hint: 'Connected accounts', submit: submitCall(CallPath.status) }],
    },
  ];
}
