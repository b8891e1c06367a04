/**
 * What a setup run did and what it found wrong. Lines never carry a secret
 * (at most its last 4 characters, see secretHint).
 */
export interface Problem {
  /** What is wrong, in one sentence. */
  what: string;
  /** How to fix it: a config key to set, a permission to grant, a command to run. */
  fix: string;
}

export class SetupReport {
  readonly done: string[] = [];
  readonly fine: string[] = [];
  readonly problems: Problem[] = [];

  /** A change made in Mattermost or in the installation store. */
  did(line: string): void {
    this.done.push(line);
  }

  /** Something found as it should be. */
  ok(line: string): void {
    this.fine.push(line);
  }

  problem(what: string, fix: string): void {
    this.problems.push({ what, fix });
  }

  get healthy(): boolean {
    return this.problems.length === 0;
  }

  format(): string {
    const lines: string[] = [];
    for (const line of this.done) lines.push(`  done: ${line}`);
    for (const line of this.fine) lines.push(`  ok:   ${line}`);
    for (const p of this.problems) lines.push(`  PROBLEM: ${p.what}\n    fix: ${p.fix}`);
    return lines.join('\n');
  }
}
