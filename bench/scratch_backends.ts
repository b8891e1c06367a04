/**
 * Runs a bench part once per storage, each on a scratch database of its own
 * (dropped afterwards). A storage whose database cannot be made (no
 * PostgreSQL on this machine) is skipped with the reason, in `skipped` and
 * in the progress lines, and the others still run.
 */
import { createScratch, type BackendName, type Scratch } from '../test/support/standalone_db.js';

export async function onEachScratchBackend(
  skipped: Record<string, string>,
  progress: (line: string) => void,
  run: (backend: BackendName, scratch: Scratch) => Promise<void>,
): Promise<void> {
  for (const backend of ['sqlite', 'postgres'] as const) {
    let scratch: Scratch;
    try {
      scratch = await createScratch(backend);
    } catch (err) {
      skipped[backend] = (err as Error).message;
      progress(`  ${backend}: SKIPPED, its scratch database could not be made: ${(err as Error).message}`);
      continue;
    }
    try {
      await run(backend, scratch);
    } finally {
      await scratch.dispose();
    }
  }
}
