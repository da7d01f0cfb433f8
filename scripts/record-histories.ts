/**
 * `npm run histories:record`: runs every problem type down each of its paths on a fresh
 * Temporal dev server and writes each workflow's history to test/histories/<type>-<path>.json.
 * The replay suite (test/integration/replay.test.ts) replays them against the current code.
 *
 * Billing disputes have hand-written paths (auto credit, one and two approvals, approval
 * rejected and expired, rule rejection, clarification), plan changes a compensated saga. Every
 * other registered type is also driven through its samples: approvers approve until the action
 * runs; a sample that asks for clarification is recorded while it waits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { PolicyFile } from '../src/domain/policy';
import type { FaultSettings } from '../src/systems/faults';
import { problemTypes } from '../src/domain/registry';
import { bundleWorkflowSources } from '../src/temporal/workflow-bundle';
import type { ProblemState, ProblemStatus } from '../workflows/state';
import { keys, startHarness, submit, waitForStatus, type Harness } from '../test/support/harness';
import { startDevServer } from './lib/dev-server';

const OUT_DIR = path.resolve(__dirname, '../test/histories');
/** A history of earlier workflow code, kept when the current paths are recorded again. */
const LEGACY_HISTORY = /^[a-z_]+-pre-[a-z-]+?-/;
const FINAL: ProblemStatus[] = ['completed', 'rejected', 'failed'];
const SETTLED: ProblemStatus[] = [...FINAL, 'awaiting_approval', 'needs_clarification'];
const APPROVERS = [keys.bob, keys.carol, keys.erin];

/** A step of a scripted path, applied whenever the problem settles in a waiting status. */
type Move = { approve: string } | { reject: string } | { clarify: string } | { wait: true };

interface Scenario {
  type: string;
  path: string;
  text: string;
  moves: Move[];
  /** Which harness: `short` has approval timers of a second, so the expiry path is recorded. */
  harness?: 'default' | 'short';
  /** Faults injected into the demo systems while this path runs (e.g. to force a compensation). */
  faults?: FaultSettings;
}

const scenarios: Scenario[] = [
  { type: 'billing_dispute', path: 'auto-credit', text: 'I was charged twice for MOB-299 on invoice INV-2002, account ACC-1002. Please refund Rs 299.', moves: [] },
  { type: 'billing_dispute', path: 'rejected-invoice-not-found', text: 'ACC-1001 INV-9999 refund Rs 100', moves: [] },
  { type: 'billing_dispute', path: 'one-approval', text: 'Account ACC-1001, invoice INV-2001: please credit Rs 999 for the fiber plan.', moves: [{ approve: keys.bob }] },
  { type: 'billing_dispute', path: 'approval-rejected', text: 'ACC-1001 INV-2001 installation charge Rs 1500 was never done, please refund 1500 rupees', moves: [{ reject: keys.carol }] },
  { type: 'billing_dispute', path: 'two-approvals', text: 'ACC-1001 INV-2001 installation charge Rs 1500 was never done, please refund 1500 rupees', moves: [{ approve: keys.bob }, { approve: keys.carol }] },
  { type: 'billing_dispute', path: 'clarification', text: 'I was charged twice for my fiber plan in October', moves: [{ clarify: 'Sorry, it was the mobile plan: account ACC-1002, invoice INV-2002, amount Rs 299' }] },
  { type: 'billing_dispute', path: 'approval-expired', text: 'ACC-1001 INV-2001: please credit Rs 999 for the fiber plan.', moves: [{ wait: true }], harness: 'short' },
  {
    type: 'plan_change',
    path: 'compensated',
    text: 'Please upgrade account ACC-1001 from FIBER-100 to FIBER-300.',
    moves: APPROVERS.map((k) => ({ approve: k })),
    faults: { failNext: [{ method: 'POST', pathPrefix: '/rating/rerates', status: 422, count: 1 }] },
  },
];

/** Types whose every path is hand-written above; the others also run their samples. */
const FULLY_SCRIPTED = new Set(['billing_dispute']);

/**
 * Billing thresholds lowered so that a seeded invoice line needs two approvals; a policy "day"
 * of 100 ms where a type has one, so follow-up timers (e.g. revoking access) fire while recording.
 */
const policy: PolicyFile = {
  version: 'histories-2026-11',
  types: {
    ...Object.fromEntries(
      problemTypes
        .filter((t) => typeof t.defaultPolicy === 'object' && t.defaultPolicy !== null && 'dayMs' in t.defaultPolicy)
        .map((t) => [t.name, { ...(t.defaultPolicy as Record<string, unknown>), dayMs: 100 }]),
    ),
    billing_dispute: { autoCreditMax: 500, singleApprovalMax: 1000, creditMax: 100_000, currency: 'INR' },
  },
};
const shortPolicy: PolicyFile = { ...policy, approvalTiming: { remindAfterMs: 300, escalateAfterMs: 600, expireAfterMs: 900, escalationGroup: 'admins' } };

const withTimeout = <T>(work: Promise<T>, ms: number) =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms).unref())]);

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Drives one problem down its path; returns its id and final (or last waiting) state. */
async function run(h: Harness, scenario: Scenario): Promise<{ id: string; state: ProblemState }> {
  const res = await submit(h.app, keys.dave, { text: scenario.text });
  if (res.statusCode !== 202) throw new Error(`${scenario.type}/${scenario.path}: submit answered ${res.statusCode} ${res.body}`);
  const { id } = res.json() as { id: string };
  const moves = [...scenario.moves];
  for (;;) {
    const state = await waitForStatus(h.app, keys.dave, id, SETTLED, 30_000);
    if (FINAL.includes(state.status)) return { id, state };
    const move = moves.shift();
    // A path ends where its next move does not fit (e.g. a sample that asks for clarification).
    const fits = move && ('clarify' in move ? state.status === 'needs_clarification' : state.status === 'awaiting_approval');
    if (!move || !fits) return { id, state };
    if ('wait' in move) {
      await waitForStatus(h.app, keys.dave, id, FINAL, 30_000);
      continue;
    }
    const [url, key, payload] =
      'clarify' in move
        ? [`/v1/problems/${id}/clarifications`, keys.dave, { text: move.clarify }]
        : [`/v1/problems/${id}/approvals`, 'approve' in move ? move.approve : move.reject, { decision: 'approve' in move ? 'approve' : 'reject', actionDigest: state.approval!.actionDigest }];
    const answer = await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}` }, payload });
    // An approver outside the required group is refused; the next approver in the list tries.
    if (answer.statusCode === 403 && 'approve' in move) continue;
    if (answer.statusCode >= 300) throw new Error(`${scenario.type}/${scenario.path}: ${url} answered ${answer.statusCode} ${answer.body}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Paths for a type without hand-written ones: each sample, approved by approvers in turn. */
function sampleScenarios(): Scenario[] {
  return problemTypes
    .filter((t) => !FULLY_SCRIPTED.has(t.name))
    .flatMap((t) => t.samples.map((text, i) => ({ type: t.name, path: `sample-${i + 1}`, text, moves: APPROVERS.map((k) => ({ approve: k })) })));
}

async function main(): Promise<void> {
  const server = await startDevServer({ headless: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'record-histories-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  const harnesses: Harness[] = [];
  try {
    const bundle = await bundleWorkflowSources();
    fs.writeFileSync(bundlePath, bundle.code);
    process.env.TEST_TMP_DIR = dir;
    const common = { temporalAddress: server.address, workflowBundlePath: bundlePath };
    const byKind = { default: await startHarness({ ...common, policy }), short: await startHarness({ ...common, policy: shortPolicy }) };
    harnesses.push(byKind.default, byKind.short);
    fs.mkdirSync(OUT_DIR, { recursive: true });
    // Histories of earlier workflow code (`<type>-pre-<change>-<path>.json`) stay: they are what
    // problems started before a change look like, and must keep replaying (replay.test.ts).
    for (const f of fs.readdirSync(OUT_DIR).filter((n) => n.endsWith('.json') && !LEGACY_HISTORY.test(n))) fs.rmSync(path.join(OUT_DIR, f));
    const written = new Set<string>();
    for (const scenario of [...scenarios, ...sampleScenarios()]) {
      const h = byKind[scenario.harness ?? 'default'];
      h.systems.faults.configure(scenario.faults ?? {});
      const { id, state } = await run(h, scenario);
      h.systems.faults.configure({});
      // A final status is shown before the workflow closes (and a follow-up may still be due): wait for its result.
      if (FINAL.includes(state.status)) await withTimeout(h.client.workflow.getHandle(id).result(), 30_000);
      // Sample paths are named by where they ended, so a reader sees which branch each file covers.
      const reason = (state.outcome?.reasonCode as string | undefined) ?? state.decision?.reasonCode ?? state.clarification?.reasonCode ?? '';
      let name = scenario.path.startsWith('sample-') ? slug(`${state.status}-${reason}`) : scenario.path;
      for (let n = 2; written.has(`${scenario.type}-${name}`); n++) name = `${name.replace(/-\d+$/, '')}-${n}`;
      written.add(`${scenario.type}-${name}`);
      const history = await h.client.workflow.getHandle(id).fetchHistory();
      const file = path.join(OUT_DIR, `${scenario.type}-${name}.json`);
      fs.writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
      console.log(`${path.relative(process.cwd(), file)}  (${state.status}${reason ? `, ${reason}` : ''}, ${history.events?.length ?? 0} events)`);
    }
  } finally {
    for (const h of harnesses) await h.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
