/**
 * Command bodies as Mattermost posts them, each with a trigger id of its own:
 * the standalone host accepts a trigger once, within APP_TRIGGER_WINDOW_MS of
 * its clock, so a run needs a fresh body per request. They are signed before
 * each run (ECDSA P-256, some 50 µs apiece) so the load generator, which shares
 * the machine's cores with the server, does no signing while a run is measured.
 * The signing key's public half is served as Mattermost's client configuration
 * (bench/client_config_server.ts), which the service reads once at start.
 */

/** The bodies of one run, handed out once each. */
export interface BodyPool {
  next(): string;
  /** Bodies signed during the run because the pre-signed ones ran out (load generator work inside the measured window). */
  signedLate(): number;
}

/** Where a server's runs get their bodies; told each run's rate, to size the next ones. */
export interface BodySource {
  forRun(connections: number, durationS: number): BodyPool;
  saw(rps: number): void;
}

/** First guess of a server's rate, before any of its runs was measured; a wrong guess only costs late signatures. */
const FIRST_GUESS_RPS = 3000;

/** `count` bodies signed now; when they run out, more are signed on the spot and counted. */
function presigned(make: () => string, count: number): BodyPool {
  const bodies = Array.from({ length: count }, make);
  let used = 0;
  let late = 0;
  return {
    next: () => {
      if (used < bodies.length) return bodies[used++]!;
      late += 1;
      return make();
    },
    signedLate: () => late,
  };
}

/**
 * Fresh bodies for each run, signed just before it: twice as many as the run
 * would take at the highest rate the server has shown so far (its rate climbs
 * as its code warms up, and differs between concurrencies).
 */
export function signedPerRun(make: () => string): BodySource {
  let highest: number | undefined;
  return {
    forRun: (connections, durationS) => presigned(make, Math.ceil((highest ?? FIRST_GUESS_RPS) * durationS * 2) + 2 * connections),
    saw: (rps) => {
      highest = Math.max(highest ?? 0, rps);
    },
  };
}

/** The same bodies over and over, for a floor that reads no trigger: the load generator's work per request is the same. */
export function cycled(bodies: string[]): BodySource {
  let used = 0;
  const pool: BodyPool = { next: () => bodies[used++ % bodies.length]!, signedLate: () => 0 };
  return { forRun: () => pool, saw: () => undefined };
}

/**
 * APP_TRIGGER_WINDOW_MS for a bench server. A run's first body is signed before
 * all the others (signing them takes up to half the run's length again on a busy
 * machine, and several times that on a machine other jobs load) and its last is
 * sent at the run's end: at least 30 s, which covers the default runs (3 s, the
 * first warm-up 3 s) on a loaded machine; longer ones (BENCH_DURATION above
 * 17 s) get a window that covers them, up to the setting's 120 s. The check
 * costs the same either way; only the single-use records live longer.
 */
export function triggerWindowMs(longestRunS: number): number {
  return Math.min(120_000, Math.max(30_000, Math.ceil(1.5 * longestRunS + 3) * 1000));
}
