/**
 * The keep-alive loop's timing (src/hosts/standalone/keep_alive/loop.ts) on a
 * clock a test moves: timers and sleeps fire only when the test advances it.
 */
import type { LoopTiming } from '../../src/hosts/standalone/keep_alive/loop.js';

/** Timers and sleeps on `clock`, run when the test moves it; random() answers `randoms` in turn, then 0.5. */
export class ManualTime implements LoopTiming {
  private tasks: Array<{ at: number; everyMs: number; run: () => void; cancelled: boolean }> = [];
  private sleeps: Array<{ at: number; resolve: () => void }> = [];
  readonly waits: number[] = [];
  constructor(
    readonly clock: { now: number },
    readonly randoms: number[] = [],
  ) {}

  schedule(ms: number, everyMs: number, run: () => void): () => void {
    const task = { at: this.clock.now + ms, everyMs, run, cancelled: false };
    this.tasks.push(task);
    return () => void (task.cancelled = true);
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.waits.push(ms);
    return new Promise((resolve, reject) => {
      const entry = { at: this.clock.now + ms, resolve };
      this.sleeps.push(entry);
      signal.addEventListener('abort', () => {
        this.sleeps = this.sleeps.filter((s) => s !== entry);
        reject(signal.reason);
      });
    });
  }

  random(): number {
    return this.randoms.shift() ?? 0.5;
  }

  get sleeping(): number {
    return this.sleeps.length;
  }

  get scheduled(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }

  /** Moves the clock to `until`, running each timer and ending each sleep as it falls due, and `settle()` after each. */
  async advanceTo(until: number, settle: () => Promise<void>): Promise<void> {
    for (;;) {
      const task = this.tasks.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
      const sleep = [...this.sleeps].sort((a, b) => a.at - b.at).find((s) => s.at <= until);
      if (!task && !sleep) break;
      if (task && (!sleep || task.at <= sleep.at)) {
        this.clock.now = Math.max(this.clock.now, task.at);
        task.at += task.everyMs;
        task.run();
      } else {
        this.clock.now = Math.max(this.clock.now, sleep!.at);
        this.sleeps = this.sleeps.filter((s) => s !== sleep);
        sleep!.resolve();
      }
      await settle();
    }
    this.clock.now = until;
  }
}
