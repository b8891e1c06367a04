/**
 * Copying each user's connections to the standalone host, after one of their
 * calls has been answered (so the call waits for none of it), once an admin
 * turned user copying on (`/oauth2 migrate users`). The plugin's stores answer
 * only for the token's own user, and the call's body is not proof of who that
 * is (any user can sign a call in Apps plugin v1.2.2): so Mattermost is asked
 * whose token it is, and the summary and tokens are read with that token, never
 * taken from the body.
 *
 * The bindings call carries the user's token too (manifest.json), and the
 * plugin makes it for every user as they use Mattermost, so most users are
 * copied with nothing asked of them. It is the most frequent call, so what
 * runs after it is decided without waiting: while user copying is off, the
 * ledger asks the storage at most every few seconds; a user this process
 * found copied is asked about again only after DONE_KEPT_MS.
 *
 * A copy runs once per user. A change of their connections on this host (a
 * refresh, a reconnect, a disconnect) is marked in the standalone storage
 * (MoveLedger.markChanged), so the copy is made again on their next call,
 * after a restart too, and on whichever process that call reaches.
 */
import { copyUserConnections } from '../../../core/apps_move/copy_user.js';
import type { MoveTarget } from '../../../core/apps_move/ports.js';
import type { CallRequest } from '../protocol/types.js';
import { readUserState } from '../store/user_state.js';
import { userClient, userRest, userTokenStore } from './context.js';
import type { Deps, UserCopies } from './deps.js';

/** Copies running at once; a call that finds them all busy starts none (its user is copied on a later call). */
const MAX_RUNNING = 4;
/** A user found copied is asked about again after this long: a change another process marked is then copied here too. */
export const DONE_KEPT_MS = 10 * 60_000;
/** After a copy that failed or could not run, that user's calls start none for this long. */
export const RETRY_AFTER_MS = 60_000;

export function createUserCopies(target: MoveTarget, deps: Omit<Deps, 'userCopies'>): UserCopies {
  const { ledger } = target;
  /** Users whose copy is current, and until when this process takes that as known. */
  const doneUntil = new Map<string, number>();
  /** Users whose connections changed in this process since their copy last began. */
  const changedHere = new Set<string>();
  /** Change marks being written: that user's copy waits for its mark before asking whether it is due. */
  const marking = new Map<string, Promise<void>>();
  const running = new Map<string, Promise<void>>();
  /** The latest call of a user whose copy was running: a change during that copy is copied with it as soon as it ends. */
  const followUp = new Map<string, CallRequest>();

  /** Takes the user as copied for a while, unless their connections changed since the copy or check began. */
  function markDone(userId: string): void {
    if (!changedHere.has(userId)) doneUntil.set(userId, deps.now() + DONE_KEPT_MS);
  }

  async function copy(call: CallRequest, userId: string): Promise<void> {
    // The ledger keeps "on" for good and "off" a few seconds: most checks ask nothing of the database.
    if (!(await ledger.usersEnabled())) return;
    await marking.get(userId);
    const again = changedHere.delete(userId);
    try {
      await copyIfDue(call, userId, again);
    } catch (error) {
      // Not every call of a user whose copy fails tries again: the bindings call comes too often.
      if (again) changedHere.add(userId);
      doneUntil.set(userId, deps.now() + RETRY_AFTER_MS);
      throw error;
    }
  }

  async function copyIfDue(call: CallRequest, userId: string, again: boolean): Promise<void> {
    const due = await ledger.copyDue(userId);
    if (!due && !again) return markDone(userId);
    if (await target.notReady()) {
      if (again) changedHere.add(userId);
      return void doneUntil.set(userId, deps.now() + RETRY_AFTER_MS);
    }
    const me = await userRest(call, deps).me();
    if (me.id !== userId) {
      deps.logger.warn('apps move: a call named another user than its token: nothing copied', { user_id: userId });
      return;
    }
    const summary = readUserState(await userClient(call, deps).getOAuth2User());
    const store = userTokenStore(call, deps);
    const result = await copyUserConnections({ userId, connections: summary.connections, tokens: (id, slot) => store.load(id, slot) }, target, deps.now());
    if (due?.mark) await ledger.settled(userId, due.mark);
    markDone(userId);
    deps.logger.info('apps move: user copied', {
      user_id: userId,
      copied: result.copied.join(','),
      removed: result.removed.join(','),
      skipped: result.skipped.map((s) => `${s.provider_id}:${s.reason}`).join(','),
    });
  }

  /** Whether this call may start a copy, decided without waiting: off (as the ledger knows it) or copied already, it may not. */
  function worthTrying(userId: string): boolean {
    if (ledger.usersEnabledKnown() === false || (doneUntil.get(userId) ?? 0) > deps.now()) return false;
    return running.size < MAX_RUNNING;
  }

  function start(call: CallRequest, userId: string): void {
    const job = copy(call, userId)
      .catch((error: unknown) => deps.logger.warn('apps move: copying a user failed; it is tried again on their next call', { user_id: userId, error }))
      .finally(() => {
        running.delete(userId);
        const next = followUp.get(userId);
        followUp.delete(userId);
        // Not left to a later call, which may not come before the upgrade.
        if (next && changedHere.has(userId) && worthTrying(userId)) start(next, userId);
      });
    running.set(userId, job);
  }

  return {
    afterCall(call) {
      const userId = call.context.acting_user?.id;
      if (!userId || !call.context.acting_user_access_token) return;
      if (running.has(userId)) followUp.set(userId, call);
      else if (worthTrying(userId)) start(call, userId);
    },
    changed(userId) {
      doneUntil.delete(userId);
      changedHere.add(userId);
      const write: Promise<void> = ledger
        .markChanged(userId)
        .catch((error: unknown) => deps.logger.warn('apps move: a change could not be marked; this process copies it again', { user_id: userId, error }))
        .finally(() => {
          if (marking.get(userId) === write) marking.delete(userId);
        });
      marking.set(userId, write);
    },
    async idle() {
      while (running.size > 0 || marking.size > 0) await Promise.all([...running.values(), ...marking.values()]);
    },
  };
}
