import path from 'node:path';
import { defaultDataConverter } from '@temporalio/common';
import { catalog } from '../domain/registry';
import { EventType, payloadDecoder } from './history';
import { describeStep } from './markdown';
import { reconstructAudit } from './reconstruct';
import { loadHistoryFiles } from './replay';

const decode = payloadDecoder(defaultDataConverter);
const files = loadHistoryFiles(path.resolve(__dirname, '../../test/histories'));

/** Every text the submitter wrote, read from the history: the started input and clarification answers. */
async function userTexts(history: (typeof files)[number]['history']): Promise<string[]> {
  const texts: string[] = [];
  for (const e of history.events ?? []) {
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
      const [input] = (await decode(e.workflowExecutionStartedEventAttributes?.input?.payloads)) as { text: string }[];
      texts.push(input!.text);
    }
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED && e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'submitClarification') {
      const [arg] = (await decode(e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.args?.payloads)) as { text: string }[];
      texts.push(arg!.text);
    }
  }
  return texts;
}

describe('audit reconstruction of every committed history', () => {
  test('there are histories to read', () => expect(files.length).toBeGreaterThan(5));

  test.each(files.map((f) => [path.basename(f.file), f] as const))('%s', async (_name, { history, file }) => {
    const audit = await reconstructAudit(history, catalog, decode);
    const kinds = audit.steps.map((s) => s.kind);
    expect(audit.steps[0]).toMatchObject({ kind: 'status', status: 'received' });
    expect(audit.steps.map((s) => s.eventId)).toEqual([...audit.steps.map((s) => s.eventId)].sort((a, b) => a - b));
    expect(kinds).toContain('extraction');
    // Today's rules, re-run on the recorded claims, facts and policy, agree with what was decided then.
    for (const d of audit.steps.filter((s) => s.kind === 'decision')) expect(d).not.toMatchObject({ recomputedMatches: false });
    if (audit.closed) expect(audit.steps.filter((s) => s.kind === 'status').at(-1)).toMatchObject({ status: audit.status });
    // Tools only run after a decision, and every tool call names its idempotency key.
    const firstTool = kinds.findIndex((k) => k === 'tool');
    if (firstTool >= 0) expect(kinds.indexOf('decision')).toBeLessThan(firstTool);
    for (const t of audit.steps) if (t.kind === 'tool' || t.kind === 'compensation') expect(t.idempotencyKey).toMatch(/^prb_\w+\/[\w-]+$/);

    // Problems of this build carry decision events: the audit shows each decision as made, by its build.
    if (!path.basename(file).includes('-pre-')) {
      const decisions = audit.steps.filter((s) => s.kind === 'decision');
      if (kinds.includes('verification')) expect(decisions.length).toBeGreaterThan(0);
      for (const d of decisions) expect(d).toMatchObject({ source: 'event', buildId: expect.any(String) });
      // Its lookups are local activities: each fact a decision used is a verification step named after it.
      const verified = audit.steps.flatMap((s) => (s.kind === 'verification' ? [s] : []));
      for (const d of decisions) {
        for (const fact of d.verifiedFacts) expect(verified).toContainEqual(expect.objectContaining({ fact, outcome: 'completed', idempotencyKey: expect.stringMatching(new RegExp(`^prb_\\w+/verify-${fact}$`)) }));
      }
    }

    const serialized = JSON.stringify(audit) + audit.steps.map(describeStep).join('\n');
    for (const text of await userTexts(history)) expect(serialized).not.toContain(text);
  });
});
