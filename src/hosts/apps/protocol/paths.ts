/**
 * Every call path the App serves, in one table. The webapp plugin imports the
 * same constants, so a path changes in one place only.
 *
 * The Apps plugin refuses user-initiated calls on /ping, the manifest's on_*
 * paths, /oauth2/connect, /oauth2/complete and /webhook, so user-facing paths
 * never reuse those.
 */
export const CallPath = {
  ping: '/ping',
  bindings: '/bindings',
  install: '/install',
  oauth2Connect: '/oauth2/connect',
  oauth2Complete: '/oauth2/complete',

  connect: '/connect',
  disconnect: '/disconnect',
  status: '/status',
  whoami: '/whoami',
  providers: '/providers',
  help: '/help',
  /** Dynamic-select lookup of registered providers. */
  providerLookup: '/lookup/providers',
  /** Data for the webapp's "Connected accounts" panel. */
  panel: '/panel',

  providerAdd: '/provider/add',
  providerAddForm: '/provider/add/form',
  providerEdit: '/provider/edit',
  providerEditForm: '/provider/edit/form',
  providerRemove: '/provider/remove',
  providerTest: '/provider/test',
  providerRegister: '/provider/register',
  providerRegisterForm: '/provider/register/form',
  providerList: '/provider/list',
  report: '/report',
} as const;

export type CallPathName = keyof typeof CallPath;
export type CallPathValue = (typeof CallPath)[CallPathName];
