/**
 * What a setup or team sync run did and what it found wrong. Lines never
 * carry a secret (at most its last 4 characters, see secretHint).
 */
import type { AuditEntry } from '../../../core/audit.js';
export interface Problem {
  /** What is wrong, in one sentence. */
  what: string;
  /** How to fix it: a config key to set, a permission to grant, a command to run. */
  fix: string;
}

/**
 * A team's /oauth2 that someone other than the service changed, deleted or
 * replaced: logged as a warning and sent to the system admins.
 */
export interface Finding {
  /** The team's name (URL slug). */
  team: string;
  /** What was found, in plain words, e.g. "the command's URL had been changed to `https://…`". */
  what: string;
  /** What was done about it, e.g. "restored it", or why nothing was. */
  outcome: string;
  /** False: the team's command is still not the service's (its requests are refused). */
  repaired: boolean;
}

export class SetupReport {
  /** The system admin whose token the run used, once Mattermost has confirmed it (for the audit trail). */
  actorUserId = '';
  readonly done: string[] = [];
  readonly fine: string[] = [];
  readonly problems: Problem[] = [];
  readonly findings: Finding[] = [];

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

  found(finding: Finding): void {
    this.findings.push(finding);
  }

  /** Nothing wrong is left: no problem, every finding repaired. */
  get healthy(): boolean {
    return this.problems.length === 0 && this.findings.every((f) => f.repaired);
  }

  /** Nothing to tell: no change, no finding, no problem (what `setup --sync` stays quiet about). */
  get quiet(): boolean {
    return this.done.length === 0 && this.findings.length === 0 && this.problems.length === 0;
  }

  format(options: { withFine?: boolean } = {}): string {
    const lines: string[] = [];
    for (const line of this.done) lines.push(`  done: ${line}`);
    if (options.withFine !== false) for (const line of this.fine) lines.push(`  ok:   ${line}`);
    for (const f of this.findings) lines.push(`  WARNING: ${findingLine(f)}`);
    for (const p of this.problems) lines.push(`  PROBLEM: ${p.what}\n    fix: ${p.fix}`);
    return lines.join('\n');
  }
}

/** One finding as a sentence: where, what, and what was done. */
export function findingLine(f: Finding): string {
  return `team "${f.team}": ${f.what}; ${f.outcome}`;
}

/** A finding as an audit entry: the team's command someone changed, and what was done (repaired or not). */
export function teamRepairEntry(f: Finding, actorUserId: string, at: number): AuditEntry {
  return {
    at,
    actor_user_id: actorUserId,
    action: 'team_sync.repair',
    target: f.team,
    outcome: f.repaired ? 'ok' : 'failed',
    detail: `${f.what}; ${f.outcome}`,
  };
}
