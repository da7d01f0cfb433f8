import type { SimulationResponse } from '../api/schemas';

type Summary = SimulationResponse['items'][number]['before'];

const money = (n: number | undefined) => (n === undefined ? '' : `₹${n.toFixed(2)}`);
const approvals = (d: Summary) => (d.requiredApprovals === 0 ? 'automatic' : `${d.requiredApprovals} approval${d.requiredApprovals > 1 ? 's' : ''}`);
const cell = (d: Summary) => `${d.action} ${approvals(d)} (${d.ruleId} ${d.reasonCode})`;
const signed = (n: number, fmt: (n: number) => string = String) => (n > 0 ? `+${fmt(n)}` : n < 0 ? `-${fmt(-n)}` : fmt(0));

/** Lays out rows as columns padded to their widest cell. */
function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows.map((r) => r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ').trimEnd());
}

/** A simulation as a terminal reads it: one line per reported problem, then totals per type and overall. */
export function renderSimulationTable(sim: SimulationResponse): string {
  const out: string[] = [];
  const baseline = Object.entries(sim.baselineVersions).map(([v, n]) => `${v} (${n})`).join(', ') || 'none';
  out.push(`Candidate ${sim.policyVersion} over ${sim.evaluated} past decisions (baseline: ${baseline}); ${sim.changed} changed, ${sim.skipped} skipped, ${sim.matched} matched.`, '');
  if (sim.items.length === 0) out.push('No decision changes.');
  else {
    out.push(...columns([
      ['problem', 'type', 'status', 'amount', 'before', 'after', ''],
      ...sim.items.map((i) => [i.problemId, i.type, i.status, money(i.before.amount ?? i.after.amount), cell(i.before), cell(i.after), i.changed ? 'CHANGED' : '']),
    ]));
  }
  out.push('', ...columns([
    ['type', 'evaluated', 'changed', 'skipped', 'approvals', 'auto-credited'],
    ...Object.entries(sim.totals.byType).map(([type, t]) => [type, String(t.evaluated), String(t.changed), String(t.skipped), `${t.approvalsBefore} → ${t.approvalsAfter}`, `${money(t.autoCreditedBefore)} → ${money(t.autoCreditedAfter)}`]),
  ]));
  const skipped = Object.entries(sim.totals.skippedByReason).map(([r, n]) => `${r} ${n}`).join(', ');
  out.push('', `Totals: approvals ${signed(sim.totals.approvalsDelta)}, money moved automatically ${signed(sim.totals.autoCreditedDelta, money)}${skipped ? `; skipped: ${skipped}` : ''}.`);
  return `${out.join('\n')}\n`;
}
