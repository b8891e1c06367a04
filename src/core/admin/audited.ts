/**
 * An admin operation with its audit entry: who ran it (as Mattermost says),
 * on which provider, and how it ended. A non-admin's attempt is recorded as
 * refused; a refusal of the input (a field error, discovery failing) as
 * failed with its message, which is written for the user and holds no
 * secret; anything else by its error's name only. The operation may add a
 * detail of its own (CoreAnswer.auditDetail: an edit's changed field names).
 */
import type { AuditAction, AuditTrail } from '../audit.js';
import { UserFacingError } from '../errors.js';
import type { StoredProvider } from '../provider_records.js';
import type { CoreAnswer, CoreRequest, CoreValues } from '../request.js';
import type { AdminDeps } from './provider_secrets.js';

type Operation = (req: CoreRequest, deps: AdminDeps) => Promise<CoreAnswer>;

/** What the operation acts on: the named provider or the one being added; a token API client as `client:<name>`. */
const targetOf = (action: AuditAction, values: CoreValues): string => {
  if (action.startsWith('client.')) {
    const client = values.client ?? values.name;
    return typeof client === 'string' ? `client:${client.trim().toLowerCase()}` : '';
  }
  const named = values.provider ?? values.id;
  return typeof named === 'string' ? named.toLowerCase() : '';
};

/** Whatever the admin typed in a secret field is cut out of the detail, in case a message ever quoted it. */
function withoutSecrets(detail: string, values: CoreValues): string {
  let out = detail;
  for (const [name, value] of Object.entries(values)) {
    if (/secret|password|token/i.test(name) && typeof value === 'string' && value.length >= 4) out = out.split(value).join('[redacted]');
  }
  return out;
}

async function write(audit: AuditTrail | undefined, req: CoreRequest, action: AuditAction, outcome: 'ok' | 'refused' | 'failed', detail: string) {
  await audit?.record({ actor_user_id: req.user.id, action, target: targetOf(action, req.values), outcome, detail: withoutSecrets(detail, req.values) });
}

export function audited(action: AuditAction, operation: Operation): Operation {
  return async (req, deps) => {
    if (req.user.isAdmin !== true) {
      await write(deps.audit, req, action, 'refused', 'not a system admin');
      return operation(req, deps);
    }
    let answer: CoreAnswer;
    try {
      answer = await operation(req, deps);
    } catch (err) {
      const detail = err instanceof UserFacingError ? err.message : `${(err as Error).name ?? 'Error'}: not a refusal (see the log)`;
      await write(deps.audit, req, action, 'failed', detail);
      throw err;
    }
    await write(deps.audit, req, action, 'ok', answer.auditDetail ?? '');
    return answer;
  };
}

/** The stored fields an edit changed, by name (never their values); a new client secret counts as client_secret. */
export function changedFieldNames(before: StoredProvider, after: StoredProvider, secretChanged: boolean): string[] {
  const ignored = new Set(['sealed_secret', 'created_at', 'updated_at', 'registered']);
  const names = new Set([...Object.keys(before), ...Object.keys(after)].filter((name) => !ignored.has(name)));
  const changed = [...names].filter((name) => JSON.stringify(before[name as keyof StoredProvider]) !== JSON.stringify(after[name as keyof StoredProvider]));
  return [...changed, ...(secretChanged ? ['client_secret'] : [])].sort();
}
