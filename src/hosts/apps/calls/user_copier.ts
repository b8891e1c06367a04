/**
 * Copying each user's connections to the standalone host, after one of their
 * calls has been answered (so the call waits for none of it), once an admin
 * turned user copying on (`/oauth2 migrate users`). The plugin's stores answer
 * only for the token's own user, and the call's body is not proof of who that
 * is (any user can sign a call in Apps plugin v1.2.2): so Mattermost is asked
 * whose token it is, and the summary and tokens are read with that token, never
 * taken from the body. A copy runs once per user; a change of their
 * connections on this host (a refresh, a reconnect) makes it run again on
 * their next call, so the copy is never older than what this host uses.
 */
import { copyUserConnections } from '../../../core/apps_move/copy_user.js';
import type { MoveTarget } from '../../../core/apps_move/ports.js';
import type { CallRequest } from '../protocol/types.js';
import { readUserState } from '../store/user_state.js';
import { userClient, userRest, userTokenStore } from './context.js';
import type { Deps, UserCopies } from './deps.js';

/** Copies running at once; a call that finds them all busy starts none (its user is copied on a later call). */
const MAX_RUNNING = 4;

export function createUserCopies(target: MoveTarget, deps: Omit<Deps, 'userCopies'>): UserCopies {
  const done = new Set<string>();
  const stale = new Set<string>();
  const running = new Map<string, Promise<void>>();
  async function copy(call: CallRequest, userId: string): Promise<void> {
    // The ledger keeps its answer in the process: most calls ask nothing of the database.
    if (!(await target.ledger.usersEnabled()) || (await target.notReady())) return;
    const again = stale.delete(userId);
    if (!again && (await target.ledger.visited(userId))) {
      done.add(userId);
      return;
    }
    const me = await userRest(call, deps).me();
    if (me.id !== userId) {
      deps.logger.warn('apps move: a call named another user than its token: nothing copied', { user_id: userId });
      return;
    }
    const summary = readUserState(await userClient(call, deps).getOAuth2User());
    const store = userTokenStore(call, deps);
    const result = await copyUserConnections({ userId, connections: summary.connections, tokens: (id, slot) => store.load(id, slot) }, target, deps.now());
    done.add(userId);
    deps.logger.info('apps move: user copied', {
      user_id: userId,
      copied: result.copied.join(','),
      removed: result.removed.join(','),
      skipped: result.skipped.map((s) => `${s.provider_id}:${s.reason}`).join(','),
    });
  }

  return {
    afterCall(call) {
      const userId = call.context.acting_user?.id;
      if (!userId || !call.context.acting_user_access_token) return;
      if (done.has(userId) || running.has(userId) || running.size >= MAX_RUNNING) return;
      const job = copy(call, userId)
        .catch((error: unknown) => deps.logger.warn('apps move: copying a user failed; it is tried again on their next call', { user_id: userId, error }))
        .finally(() => running.delete(userId));
      running.set(userId, job);
    },
    changed(userId) {
      done.delete(userId);
      stale.add(userId);
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
  };
}
