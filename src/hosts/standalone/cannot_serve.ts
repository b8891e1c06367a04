/**
 * The errors that mean the service cannot serve anyone right now, beyond its
 * database being out of reach (database_unavailable.ts): the database has no
 * tables (dropped and re-created, or another database than setup used), the
 * storage holds no installation (setup has not run against it), Mattermost
 * does not answer. Each has one text a user can act on, matching what
 * /readyz names, instead of "something went wrong".
 */

export type CannotServe = 'schema_missing' | 'not_installed' | 'mattermost_unreachable';

export const CANNOT_SERVE_TEXT: Readonly<Record<CannotServe, string>> = {
  schema_missing:
    'The OAuth2 Connect service cannot serve: its database has no tables. Ask an admin to run setup or start the service against the right database (its /readyz names what is wrong).',
  not_installed:
    'The OAuth2 Connect service cannot serve: its storage holds no installation. Ask a system admin to run setup, or to start the service against the right database (its /readyz names what is wrong).',
  mattermost_unreachable:
    'The OAuth2 Connect service cannot reach Mattermost right now. Try again in a minute; if this persists, ask an admin to check the service (its /readyz).',
};

/** Thrown when setup has not run (no installation record): the admin must run `oauth2-connect setup`. */
export class NotInstalledError extends Error {
  constructor() {
    super('The service is not set up in Mattermost yet: run `oauth2-connect setup`.');
    this.name = 'NotInstalledError';
  }
}

/** Thrown when Mattermost does not answer the bot within the HTTP timeout. */
export class MattermostUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MattermostUnreachableError';
  }
}

/** PostgreSQL's undefined_table; SQLite says it in words. */
function isMissingTable(err: Error): boolean {
  return (err as { code?: unknown }).code === '42P01' || /no such table/i.test(err.message);
}

/** A request that got no answer at all (Node's fetch says "fetch failed"); an answer with a status is Mattermost's word. */
function isUnanswered(err: Error): boolean {
  return err instanceof MattermostUnreachableError || (err instanceof TypeError && err.message === 'fetch failed');
}

export function cannotServeOf(err: unknown): CannotServe | undefined {
  if (!(err instanceof Error)) return undefined;
  if (isMissingTable(err)) return 'schema_missing';
  if (err instanceof NotInstalledError) return 'not_installed';
  if (isUnanswered(err)) return 'mattermost_unreachable';
  return undefined;
}
