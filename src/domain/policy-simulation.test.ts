import { defaultBillingPolicy } from './billing-dispute/schema';
import { checkPolicyFile, resolvePolicy } from './policy';
import { addToTotals, finishTotals, isReported, simulateProblem, type CandidatePolicy, type SimulatedProblem } from './policy-simulation';
import { emptyTotals, mergeTotals } from './simulation-totals';
import { runDecision, type DecisionInput, type RecordedDecision } from './recorded-decision';
import { catalog } from './registry';

const invoice2001 = {
  found: true,
  invoiceId: 'INV-2001',
  accountId: 'ACC-1001',
  period: '2026-10',
  currency: 'INR',
  lines: [
    { lineNo: 1, description: 'FIBER-100', amount: 999, creditedAmount: 0 },
    { lineNo: 2, description: 'Installation', amount: 1500, creditedAmount: 0 },
  ],
  ledgerVersion: 0,
  asOf: '2026-11-20T00:00:00.000Z',
  accountCredits: [],
};
const invoice2002 = {
  ...invoice2001,
  invoiceId: 'INV-2002',
  accountId: 'ACC-1002',
  lines: [
    { lineNo: 1, description: 'MOB-299', amount: 299, creditedAmount: 0 },
    { lineNo: 2, description: 'MOB-299', amount: 299, creditedAmount: 0 },
  ],
};

/** A billing dispute decided under the default policy, as the `decide` local activity records it. */
function recorded(problemId: string, amount: number, invoice = invoice2001): RecordedDecision {
  const input: DecisionInput = {
    problemId,
    type: 'billing_dispute',
    claims: { accountId: invoice.accountId, invoiceId: invoice.invoiceId, amount, currency: 'INR', reason: 'overcharge' },
    facts: { invoice },
    policyVersion: 'default-2026-11-01',
    policy: defaultBillingPolicy,
    scope: {},
  };
  return runDecision(catalog, input, 'build-a');
}

const candidateWith = (billing: Partial<typeof defaultBillingPolicy>): CandidatePolicy => {
  const p = resolvePolicy(catalog, { version: 'candidate-1', types: { billing_dispute: { ...defaultBillingPolicy, ...billing } } });
  return { version: p.version, types: p.types };
};
const raised = candidateWith({ autoCreditMax: 1000, autoCreditInvoiceMax: 1000 });
const simulate = (r: RecordedDecision | null, candidate = raised, status = 'awaiting_approval') =>
  simulateProblem(catalog, { problemId: r?.input.problemId ?? 'prb_none', type: 'billing_dispute', status, recorded: r }, candidate);

describe('simulateProblem: one past decision over a candidate policy', () => {
  test.each([
    // amount, candidate, before (rule, approvals), after (rule, approvals), changed
    ['₹299 stays automatic', 299, raised, ['BD-10', 0], ['BD-10', 0], false],
    ['₹999 becomes automatic when the single and per-invoice limits rise to 1000', 999, raised, ['BD-11', 1], ['BD-10', 0], true],
    ['₹999 still needs approval when only the single-claim limit rises (per-invoice total 500)', 999, candidateWith({ autoCreditMax: 1000 }), ['BD-11', 1], ['BD-13', 1], true],
    ['₹1500 still needs one approval', 1500, raised, ['BD-11', 1], ['BD-11', 1], false],
    ['₹1500 needs two approvals when the single-approval limit drops to 1000', 1500, candidateWith({ singleApprovalMax: 1000 }), ['BD-11', 1], ['BD-12', 2], true],
  ] as const)('%s', (_name, amount, candidate, [ruleBefore, approvalsBefore], [ruleAfter, approvalsAfter], changed) => {
    const result = simulate(recorded(`prb_${amount}`, amount, amount === 299 ? invoice2002 : invoice2001), candidate);
    expect(result).toMatchObject({
      changed,
      baselineVersion: 'default-2026-11-01',
      buildId: 'build-a',
      before: { ruleId: ruleBefore, requiredApprovals: approvalsBefore, amount },
      after: { ruleId: ruleAfter, requiredApprovals: approvalsAfter, amount },
    });
  });

  test('a problem without a recorded decision is skipped as not recorded', () => {
    expect(simulate(null)).toMatchObject({ skipped: 'decision_not_recorded' });
  });

  test('a recorded decision that failed is skipped', () => {
    expect(simulate({ ...recorded('prb_x', 999), decision: null })).toMatchObject({ skipped: 'decision_failed' });
  });

  test('a decision today\'s code does not reproduce from its own input is skipped: the diff would not be the policy\'s', () => {
    const r = recorded('prb_y', 999);
    const tampered = { ...r, decision: { ...r.decision!, ruleId: 'BD-OLD' } } as RecordedDecision;
    expect(simulate(tampered)).toMatchObject({ skipped: 'code_changed_since_decision' });
  });

  test('a decision recorded by another build replays through today\'s code with the same input', () => {
    expect(simulate({ ...recorded('prb_z', 999), buildId: 'build-old' })).toMatchObject({ changed: true, buildId: 'build-old' });
  });
});

describe('totals', () => {
  const results: SimulatedProblem[] = [
    simulate(recorded('prb_1', 299, invoice2002), raised, 'completed'),
    simulate(recorded('prb_2', 999)),
    simulate(recorded('prb_3', 1500)),
    simulate(null),
  ];

  test('the acceptance figures: one change, one approval fewer, ₹999 more moved automatically', () => {
    const summary = finishTotals(results.reduce(addToTotals, emptyTotals()));
    expect(summary).toMatchObject({ evaluated: 3, changed: 1, skipped: 1, baselineVersions: { 'default-2026-11-01': 3 }, baselineBuilds: { 'build-a': 3 } });
    expect(summary.totals).toMatchObject({ approvalsBefore: 2, approvalsAfter: 1, approvalsDelta: -1, requiredApprovalsDelta: -1, autoCreditedBefore: 299, autoCreditedAfter: 1298, autoCreditedDelta: 999, skippedByReason: { decision_not_recorded: 1 } });
    expect(summary.totals.byType.billing_dispute).toMatchObject({ evaluated: 3, changed: 1, skipped: 1 });
  });

  test('pages add up to the whole, however the set is split', () => {
    const whole = results.reduce(addToTotals, emptyTotals());
    for (let cut = 0; cut <= results.length; cut++) {
      const a = results.slice(0, cut).reduce(addToTotals, emptyTotals());
      const b = results.slice(cut).reduce(addToTotals, emptyTotals());
      expect(finishTotals(mergeTotals(a, b))).toEqual(finishTotals(whole));
    }
  });

  test('items: every change, plus every problem of the types asked for, never a skipped one', () => {
    expect(results.filter((r) => isReported(r, undefined)).map((r) => r.problemId)).toEqual(['prb_2']);
    expect(results.filter((r) => isReported(r, ['billing_dispute'])).map((r) => r.problemId)).toEqual(['prb_1', 'prb_2', 'prb_3']);
  });
});

describe('checkPolicyFile: a candidate is validated as POLICY_FILE is, with the failing paths', () => {
  test.each([
    ['a bad version', { version: '' }, ['version']],
    ['an unknown type section', { version: 'v', types: { refunds: {} } }, ['types.refunds']],
    ['an invalid threshold', { version: 'v', types: { billing_dispute: { ...defaultBillingPolicy, autoCreditMax: -1 } } }, ['types.billing_dispute.autoCreditMax']],
    ['unordered thresholds', { version: 'v', types: { billing_dispute: { ...defaultBillingPolicy, autoCreditMax: 6000 } } }, ['types.billing_dispute']],
    ['not an object', 'policy', ['(root)']],
  ])('refuses %s', (_name, file, paths) => {
    const checked = checkPolicyFile(catalog, file);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.issues.map((i) => i.path)).toEqual(paths);
  });

  test('the policy in force, resolved, is itself a valid candidate', () => {
    const current = resolvePolicy(catalog, { version: 'v1' });
    expect(checkPolicyFile(catalog, JSON.parse(JSON.stringify(current)))).toEqual({ ok: true, policy: current });
  });
});
