/**
 * The standalone bench's table (ours against both floors, per storage and
 * concurrency, as ratios) and its budget: the status command's server CPU per
 * request over the urlencoded floor's (which parses the same body and answers
 * the same JSON, so the ratio is what the service itself adds), and its p99 at
 * one connection.
 */
import type { BackendName } from '../test/support/standalone_db.js';
import { CONCURRENCY } from './http_bench.js';
import type { Side, StandaloneReport, StandaloneRow } from './standalone.js';

export const STANDALONE_BUDGET_LINE =
  'status CPU per request <= 2x the urlencoded floor on SQLite, <= 2.5x on PostgreSQL; p99 at c=1 < 2 ms (SQLite), < 3 ms (PostgreSQL)';
const BUDGETS: Record<BackendName, { cpuRatio: number; p99Ms: number }> = { sqlite: { cpuRatio: 2, p99Ms: 2 }, postgres: { cpuRatio: 2.5, p99Ms: 3 } };
const BACKENDS: BackendName[] = ['sqlite', 'postgres'];

/** As bench/run.ts lists its budgets: timing ones, so they fail a run only with BENCH_STRICT=1. */
export interface StandaloneBudget {
  name: string;
  budget: string;
  value: string;
  met: boolean;
  hard: false;
}

const fixed = (n: number, digits = 2) => n.toFixed(digits);

function rowsAt(report: StandaloneReport, backend: BackendName, connections: number): Record<Side, StandaloneRow> | undefined {
  const find = (variant: Side) => report.rows.find((r) => r.backend === backend && r.connections === connections && r.variant === variant);
  const [o, e, f] = [find('standalone'), find('express'), find('express-form')];
  return o && e && f ? { standalone: o, express: e, 'express-form': f } : undefined;
}

/** One line per storage and concurrency for the CPU ratio, one per storage for p99 at c=1; none for a skipped storage. */
export function standaloneBudgets(report: StandaloneReport): StandaloneBudget[] {
  const list: StandaloneBudget[] = [];
  for (const backend of BACKENDS) {
    const budget = BUDGETS[backend];
    for (const c of CONCURRENCY) {
      const rows = rowsAt(report, backend, c);
      if (!rows) continue;
      const ratio = rows.standalone.cpuUs / rows['express-form'].cpuUs;
      list.push({
        name: `standalone status CPU per request vs the urlencoded floor, ${backend}, c=${c}`,
        budget: `<= ${budget.cpuRatio}x`,
        value: `${fixed(ratio)}x (${fixed(rows.standalone.cpuUs, 0)} µs / ${fixed(rows['express-form'].cpuUs, 0)} µs)`,
        met: ratio <= budget.cpuRatio,
        hard: false,
      });
    }
    const p99 = rowsAt(report, backend, 1)?.standalone.p99;
    if (p99 !== undefined) {
      list.push({
        name: `standalone status p99 at c=1, ${backend}`,
        budget: `< ${budget.p99Ms} ms`,
        value: `${fixed(p99)} ms`,
        met: p99 < budget.p99Ms,
        hard: false,
      });
    }
  }
  return list;
}

/** The table, then the budget line and each of its figures, met or missed. */
export function standaloneTable(report: StandaloneReport, say: (line?: string) => void): void {
  say(
    `Standalone /oauth2 status through the whole service (a freshly signed trigger per request) vs bare express and express+urlencoded, medians (request ${report.requestBytes} B, answer ${report.answerBytes} B)`,
  );
  const widths = [8, 3, 8, 8, 8, 7, 7, 7, 7, 8, 8, 8, 7, 7];
  const cells = (c: string[]) => c.map((x, i) => (i < 2 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  say(
    cells([
      'storage',
      'c',
      'ours r/s',
      'expr r/s',
      'form r/s',
      'o/form',
      'p99 ms',
      'ex p99',
      'fm p99',
      'CPU µs o',
      'CPU µs e',
      'CPU µs f',
      'CPU o/e',
      'CPU o/f',
    ]),
  );
  for (const backend of BACKENDS) {
    if (report.skipped[backend]) say(`${backend.padEnd(8)}  skipped: ${report.skipped[backend]}`);
    for (const c of CONCURRENCY) {
      const rows = rowsAt(report, backend, c);
      if (!rows) continue;
      const { standalone: o, express: e, 'express-form': f } = rows;
      say(
        cells([
          backend,
          String(c),
          ...[o, e, f].map((r) => fixed(r.rps, 0)),
          `${fixed((100 * o.rps) / f.rps, 0)}%`,
          ...[o, e, f].map((r) => fixed(r.p99)),
          ...[o, e, f].map((r) => fixed(r.cpuUs, 0)),
          fixed(o.cpuUs / e.cpuUs),
          fixed(o.cpuUs / f.cpuUs),
        ]),
      );
    }
  }
  if (report.signedLate > 0) say(`(${report.signedLate} triggers were signed during measured runs: the load generator did that work too)`);
  const checks = standaloneBudgets(report);
  say(`Budget: ${STANDALONE_BUDGET_LINE}: ${checks.length === 0 ? 'not measured' : checks.every((b) => b.met) ? 'MET' : 'MISSED'}`);
  for (const b of checks) say(`  ${b.met ? 'met   ' : 'MISSED'}  ${b.name}: ${b.value} (budget ${b.budget})`);
  signatureCheckLines(report, say);
}

/** Beside the budget, not part of it: the signature check's CPU, and the ratio of what is left of ours without it. */
function signatureCheckLines(report: StandaloneReport, say: (line?: string) => void): void {
  const check = report.signatureCheckUs;
  say(
    `The trigger's signature check alone (P-256, the service's own functions, this process): ${fixed(check, 0)} µs CPU. Ours without it vs the urlencoded floor:`,
  );
  for (const backend of BACKENDS) {
    const ratios = CONCURRENCY.flatMap((c) => {
      const rows = rowsAt(report, backend, c);
      return rows ? [`c=${c} ${fixed((rows.standalone.cpuUs - check) / rows['express-form'].cpuUs)}x`] : [];
    });
    if (ratios.length > 0) say(`  ${backend}: ${ratios.join(', ')}`);
  }
}
