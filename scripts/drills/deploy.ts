/**
 * Drill: deploying a new version while problems wait. Version 1 workers (APP_VERSION=v1) take
 * problems of every type to every resting state (waiting for approval, for clarification, access
 * granted with its revocation timer running); then version 2 is deployed: a copy of this tree
 * with scripts/drills/deploy/v2.patch applied (a new billing rule, reason code
 * `credit_needs_review` up to a new policy threshold, and a new workflow step, a `decided`
 * notification), started with APP_VERSION=v2 and made current, while the version 1 workers keep
 * running. New problems go to version 2; then every problem is approved, clarified and left to
 * its timers. Passes when old problems finish on version 1 as it decided them (reason codes, and
 * the build id of every decision the audit shows), new ones on version 2, no workflow task failed
 * (no non-determinism), none stuck and every problem at rest.
 *
 *   npm run drill:deploy -- [--day-ms 3000] [--timeout-s 150]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DEV_API_KEYS } from '../../src/config';
import { defaultAccessPolicy } from '../../src/domain/access-request/schema';
import { EventType, type History } from '../../src/audit/history';
import { openSystemsDb } from '../../src/systems/db';
import { quietBundleLogger } from '../../src/temporal/workflow-bundle';
import { describeDeployment, waitForCurrentVersion } from '../../src/temporal/deployment';
import { freePort, startProcess, waitFor, type ManagedProcess } from '../lib/processes';
import { createDrillClient, drillKeys, type ProblemSnapshot } from './lib/problems';
import { patchedCopy, V2_PATCH } from './lib/patched-copy';
import { runDrill, startStack, type DrillStack } from './lib/stack';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const DEPLOYMENT = 'problem-workflows';
const FINAL = ['completed', 'rejected', 'failed'];
const keyOf = (principal: string) => DEV_API_KEYS.find((k) => k.principal === principal)!.key;
/** Approvers tried in turn: an approver outside the required group is refused (403). */
const APPROVERS = [keyOf('bob'), keyOf('carol')];

/** One problem of the drill: where it must rest before the deploy, how it is moved on, how it ends. */
interface Case {
  name: string;
  type: string;
  text: (v: string) => string;
  /** Resting status reached on the version that started it, before anyone acts. */
  rests: 'awaiting_approval' | 'needs_clarification' | 'active';
  /** The clarification answer, for cases that rest in needs_clarification. */
  answer?: (v: string) => string;
  final: 'completed' | 'rejected';
  /** Expected decision reason code by version, where the versions' rules differ. */
  reason?: { v1: string; v2: string };
}

/** A seeded account and invoice per billing case and version: a ₹1000 line, claims of ₹700. */
const billingRef = (v: string, n: number) => ({ account: `ACC-7${v === 'v1' ? 1 : 2}000${n}`, invoice: `INV-7${v === 'v1' ? 1 : 2}000${n}` });

const CASES: Case[] = [
  {
    name: 'billing: approval',
    type: 'billing_dispute',
    text: (v) => `Account ${billingRef(v, 1).account}, invoice ${billingRef(v, 1).invoice}: I was overcharged, please refund Rs 700.`,
    rests: 'awaiting_approval',
    final: 'completed',
    reason: { v1: 'credit_needs_approval', v2: 'credit_needs_review' },
  },
  {
    name: 'billing: clarification',
    type: 'billing_dispute',
    text: () => 'I was charged twice for my fiber plan in October',
    rests: 'needs_clarification',
    answer: (v) => `Sorry: account ${billingRef(v, 2).account}, invoice ${billingRef(v, 2).invoice}, the fiber plan, please refund Rs 700.`,
    final: 'completed',
    reason: { v1: 'credit_needs_approval', v2: 'credit_needs_review' },
  },
  { name: 'access: approval', type: 'access_request', text: () => 'Please grant EMP-501 viewer access to grafana for 7 days.', rests: 'awaiting_approval', final: 'completed' },
  { name: 'access: revocation timer', type: 'access_request', text: () => 'EMP-502 needs read access on prod-db for 2 weeks for the audit.', rests: 'active', final: 'completed' },
  { name: 'access: clarification', type: 'access_request', text: () => 'I need access to the dashboards', rests: 'needs_clarification', answer: () => 'Viewer access to grafana for EMP-501 for 3 days.', final: 'completed' },
  { name: 'connectivity: clarification', type: 'connectivity_issue', text: () => 'My internet is not working', rests: 'needs_clarification', answer: () => 'My fiber internet has been down since 2026-11-20, account ACC-1001, pincode 400001.', final: 'completed' },
  { name: 'plan change: clarification', type: 'plan_change', text: () => 'I want a better plan', rests: 'needs_clarification', answer: () => 'I want to switch to MOB-599, account ACC-1002.', final: 'rejected' },
];

/** Seeds one ₹1000 fiber line per billing case and version (claims of ₹700 sit between the versions' thresholds). */
function seed(dbFile: string): void {
  const db = openSystemsDb(dbFile);
  const account = db.prepare("INSERT OR IGNORE INTO accounts (id, status, service, plan, pincode, dues, lock_in_until) VALUES (?, 'active', 'fiber', 'FIBER-100', '400001', 0, NULL)");
  const invoice = db.prepare("INSERT INTO invoices (id, account_id, period, currency) VALUES (?, ?, '2026-10', 'INR')");
  const line = db.prepare("INSERT INTO invoice_lines (invoice_id, line_no, description, amount) VALUES (?, 1, 'FIBER-100', 1000)");
  db.transaction(() => {
    for (const v of ['v1', 'v2']) {
      for (const n of [1, 2]) {
        const ref = billingRef(v, n);
        account.run(ref.account);
        invoice.run(ref.invoice, ref.account);
        line.run(ref.invoice);
      }
    }
  })();
  db.close();
}

/**
 * Version 2's code: this tree's files (tracked and untracked, as `git ls-files` lists them) copied
 * to a temp dir, the patch applied, node_modules linked, and its workflow bundle built.
 */
async function prepareVersion2(dir: string): Promise<{ root: string; bundlePath: string }> {
  const root = patchedCopy(path.join(dir, 'v2'), V2_PATCH);
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(root, 'workflows'), logger: quietBundleLogger });
  const bundlePath = path.join(dir, 'workflow-bundle-v2.js');
  fs.writeFileSync(bundlePath, code);
  return { root, bundlePath };
}

/** What a problem's history says about the code that ran it. */
interface HistoryFacts {
  /** Build ids of the workers that completed its workflow tasks. */
  builds: Set<string>;
  workflowTaskFailures: number;
  /** `decided` notifications scheduled: version 2's new step. */
  decidedNotifications: number;
}

function historyFacts(history: History): HistoryFacts {
  const facts: HistoryFacts = { builds: new Set(), workflowTaskFailures: 0, decidedNotifications: 0 };
  for (const e of history.events ?? []) {
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) facts.builds.add(e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ?? 'unversioned');
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) facts.workflowTaskFailures += 1;
    const summary = e.userMetadata?.summary?.data;
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && summary && Buffer.from(summary).toString('utf8').includes('Notify: decided')) facts.decidedNotifications += 1;
  }
  return facts;
}

/** A submitted problem of the drill. */
interface Problem {
  case: Case;
  version: 'v1' | 'v2';
  id: string;
  restedAs?: string;
  statusAtDeploy?: string;
  last?: ProblemSnapshot | null;
}

async function main(): Promise<boolean> {
  const { values } = parseArgs({ options: { 'day-ms': { type: 'string', default: '3000' }, 'timeout-s': { type: 'string', default: '150' } } });
  const dayMs = Number(values['day-ms']);
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-deploy-'));
  const policyFile = path.join(dir, 'policy.json');
  // A policy "day" of a few seconds, so revocation timers fire within the drill.
  fs.writeFileSync(policyFile, JSON.stringify({ version: 'drill-deploy', types: { access_request: { ...defaultAccessPolicy, dayMs } } }));
  const logDir = process.env.DRILL_LOG_DIR ?? path.join(dir, 'logs');
  process.env.DRILL_LOG_DIR = logDir;

  const v2Ready = prepareVersion2(dir);
  v2Ready.catch(() => undefined);
  let stack: DrillStack | undefined;
  let v2Worker: ManagedProcess | undefined;
  try {
    stack = await startStack({ seed, env: { APP_VERSION: 'v1', POLICY_FILE: policyFile, WORKER_DEPLOYMENT_NAME: DEPLOYMENT } });
    const connection = await Connection.connect({ address: stack.server!.address });
    const temporal = new Client({ connection });
    const client = createDrillClient(stack.apiUrls);
    const problems: Problem[] = [];
    const get = (id: string) => client.get(id);

    const submit = async (version: 'v1' | 'v2') => {
      const mine: Problem[] = [];
      for (const c of CASES) {
        const res = await client.call('POST', '/v1/problems', drillKeys.submitter, { text: c.text(version), channel: 'api' });
        if (res.status !== 202) throw new Error(`${c.name} (${version}): submit answered ${res.status}`);
        mine.push({ case: c, version, id: (res.body as { id: string }).id });
      }
      problems.push(...mine);
      return mine;
    };
    const approve = async (p: Problem, snap: ProblemSnapshot) => {
      for (const key of APPROVERS) {
        const res = await client.call('POST', `/v1/problems/${p.id}/approvals`, key, { decision: 'approve', actionDigest: snap.approval!.actionDigest });
        if (res.status === 200) return;
      }
    };
    /** Waits until each problem rests (a waiting status or final), moving the revocation cases on to `active`. */
    const rest = async (batch: Problem[]) => {
      await waitFor('problems to rest', async () => {
        const snaps = await Promise.all(batch.map((p) => get(p.id)));
        let resting = 0;
        for (const [i, snap] of snaps.entries()) {
          const p = batch[i]!;
          if (!snap) continue;
          p.restedAs = snap.status;
          if (p.case.rests === 'active' && snap.status === 'awaiting_approval') await approve(p, snap);
          if ([p.case.rests, ...FINAL].includes(snap.status)) resting += 1;
        }
        return resting === batch.length;
      }, 60_000, 500);
    };

    // 1. Version 1: every type in every resting state.
    const v1 = await submit('v1');
    await rest(v1);

    // 2. Deploy version 2 beside version 1 and make it current.
    const deployAt = Date.now();
    const v2 = await v2Ready;
    const metricsPorts = { WORKER_METRICS_PORT: String(await freePort()), WORKER_APP_METRICS_PORT: String(await freePort()) };
    const out = fs.openSync(path.join(logDir, 'worker-v2.log'), 'a');
    v2Worker = startProcess('worker-v2', TSX, [path.join(v2.root, 'src/temporal/worker-main.ts')], {
      cwd: v2.root,
      env: { ...process.env, ...workerEnv(stack, policyFile), APP_VERSION: 'v2', WORKFLOW_BUNDLE_PATH: v2.bundlePath, WORKER_SET_CURRENT: 'true', ...metricsPorts },
      stdio: ['ignore', out, out],
    });
    await waitForCurrentVersion(temporal, { deploymentName: DEPLOYMENT, buildId: 'v2' }, 90_000);
    const deployS = (Date.now() - deployAt) / 1000;
    for (const p of v1) p.statusAtDeploy = (await get(p.id))?.status;

    // 3. Version 2 takes the new problems.
    const v2Problems = await submit('v2');
    await rest(v2Problems);

    // 4. Approve, clarify, let timers fire: until every problem is final.
    const clarified = new Set<string>();
    const deadline = Date.now() + Number(values['timeout-s']) * 1000;
    while (Date.now() < deadline) {
      const snaps = await Promise.all(problems.map((p) => get(p.id)));
      for (const [i, snap] of snaps.entries()) {
        const p = problems[i]!;
        p.last = snap;
        if (snap?.status === 'awaiting_approval' && snap.approval) await approve(p, snap);
        if (snap?.status === 'needs_clarification' && p.case.answer && !clarified.has(p.id)) {
          const res = await client.call('POST', `/v1/problems/${p.id}/clarifications`, drillKeys.submitter, { text: p.case.answer(p.version) });
          if (res.status === 202) clarified.add(p.id);
        }
      }
      if (problems.every((p) => FINAL.includes(p.last?.status ?? ''))) break;
      await new Promise((r) => setTimeout(r, 1000));
    }

    // 5. Judge each problem by its state and its history.
    const failures: string[] = [];
    const rows: string[][] = [];
    for (const p of problems) {
      const handle = temporal.workflow.getHandle(p.id);
      const facts = historyFacts(await handle.fetchHistory());
      // The audit's decision steps: each recorded with the build id whose rules decided.
      const audit = await client.call('GET', `/v1/problems/${p.id}/audit`, drillKeys.admin);
      const decisionBuilds = new Set(((audit.body as { steps?: { kind: string; buildId?: string | null }[] } | null)?.steps ?? []).filter((s) => s.kind === 'decision').map((s) => s.buildId ?? 'none'));
      const reason = p.last?.decision?.reasonCode ?? p.last?.outcome?.reasonCode ?? '';
      const problemsOf: string[] = [];
      if (p.restedAs !== p.case.rests && !(p.version === 'v1' && p.case.rests === 'active' && p.statusAtDeploy === 'active')) problemsOf.push(`rested as ${p.restedAs}, expected ${p.case.rests}`);
      if (p.version === 'v1' && p.case.rests === 'active' && p.statusAtDeploy !== 'active') problemsOf.push(`was ${p.statusAtDeploy} at the deploy, not active (raise --day-ms)`);
      if (p.last?.status !== p.case.final) problemsOf.push(`ended ${p.last?.status ?? 'unknown'}, expected ${p.case.final}`);
      if (p.case.reason && reason !== p.case.reason[p.version]) problemsOf.push(`reason ${reason}, expected ${p.case.reason[p.version]} (the rules of ${p.version})`);
      if (facts.builds.size !== 1 || !facts.builds.has(p.version)) problemsOf.push(`workflow tasks completed by builds ${[...facts.builds].join(', ')}, expected only ${p.version}`);
      if (decisionBuilds.size !== 1 || !decisionBuilds.has(p.version)) problemsOf.push(`audit: decisions recorded by builds ${[...decisionBuilds].join(', ') || 'none'}, expected only ${p.version}`);
      if ((facts.decidedNotifications > 0) !== (p.version === 'v2')) problemsOf.push(`${facts.decidedNotifications} 'decided' steps: version ${p.version}'s workflow shape expects ${p.version === 'v2' ? 'some' : 'none'}`);
      if (facts.workflowTaskFailures > 0) problemsOf.push(`${facts.workflowTaskFailures} workflow task failures`);
      failures.push(...problemsOf.map((f) => `${p.id} ${p.case.name} (${p.version}): ${f}`));
      rows.push([p.case.name, p.version, p.version === 'v1' ? `${p.restedAs} → ${p.statusAtDeploy}` : (p.restedAs ?? '?'), p.last?.status ?? '?', reason, [...facts.builds].join(','), [...decisionBuilds].join(','), String(facts.decidedNotifications), String(facts.workflowTaskFailures), problemsOf.length ? 'FAIL' : 'ok']);
    }
    const nondeterminism = scanLogs(logDir);
    if (nondeterminism.length) failures.push(...nondeterminism.map((l) => `worker log: ${l}`));
    const deployment = await describeDeployment(temporal, DEPLOYMENT);
    if (deployment.current !== 'v2') failures.push(`current version is ${deployment.current}, expected v2`);
    await connection.close();

    const ok = failures.length === 0;
    console.log(`\nDrill deploy: ${ok ? 'PASS' : 'FAIL'} (${new Date().toISOString()})\n`);
    console.log('| problem | version | rested as (v1: → at deploy) | final | reason code | workflow tasks by | decisions recorded by (audit) | decided steps | WFT failed | check |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    console.log('\n| measure | value |\n| --- | --- |');
    const summary: [string, string | number][] = [
      ['problems (v1 before the deploy / v2 after)', `${v1.length} / ${v2Problems.length}`],
      ['at rest at the end (final)', `${problems.filter((p) => FINAL.includes(p.last?.status ?? '')).length} of ${problems.length}`],
      ['workflow task failures (all histories)', rows.reduce((n, r) => n + Number(r[8]), 0)],
      ['non-determinism lines in worker logs', nondeterminism.length],
      ['deploy: v2 worker start to current', `${deployS.toFixed(1)} s`],
      ['versions', deployment.versions.map((v) => `${v.buildId} ${v.status}${v.drainage ? ` (${v.drainage})` : ''}`).join(', ')],
      ['policy day (revocation timers)', `${dayMs} ms`],
      ['wall time', `${((Date.now() - started) / 1000).toFixed(0)} s`],
    ];
    for (const [k, v] of summary) console.log(`| ${k} | ${v} |`);
    for (const f of failures.slice(0, 20)) console.log(`  ${f}`);
    return ok;
  } finally {
    await v2Worker?.stop(5000);
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The environment the stack gave its workers (address, ports, data dir, tokens), for the version 2 worker. */
function workerEnv(stack: DrillStack, policyFile: string): Record<string, string> {
  return {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: stack.server!.address,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    DATA_DIR: stack.dir,
    SYSTEMS_URL: stack.systemsUrl,
    WORKER_DEPLOYMENT_NAME: DEPLOYMENT,
    POLICY_FILE: policyFile,
  };
}

/** Worker log lines that report non-determinism (a replay that did not match its history). */
function scanLogs(logDir: string): string[] {
  if (!fs.existsSync(logDir)) return [];
  return fs.readdirSync(logDir).filter((f) => f.startsWith('worker')).flatMap((f) =>
    fs.readFileSync(path.join(logDir, f), 'utf8').split('\n').filter((l) => /nondetermin|DeterminismViolation|TMPRL1100/i.test(l)).map((l) => `${f}: ${l.slice(0, 200)}`));
}

runDrill(main);
