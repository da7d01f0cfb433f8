import type { ReconstructedAudit } from './reconstruct';
import type { AuditStep } from './steps';

const code = (v: unknown) => (v === null || v === undefined || v === '' ? '–' : `\`${String(v)}\``);
const json = (v: unknown) => (v === undefined ? '–' : `\`${JSON.stringify(v)}\``);
/** Keeps table cells on one line and free of pipes. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** One line describing a step, for people. */
export function describeStep(step: AuditStep): string {
  switch (step.kind) {
    case 'extraction':
      if (step.validation === 'failed') return `Extraction round ${step.round} failed (${code(step.reasonCode)}) after ${step.attempts} attempt(s)`;
      return [
        `Extraction round ${step.round} by ${code(step.provider)} / ${code(step.model)}: ${step.validation === 'valid' ? `valid ${code(step.type)} claims ${json(step.entities)}` : `needs clarification (${code(step.reasonCode)}, missing ${json(step.missingFields)})`}`,
        `tokens ${step.usage?.promptTokens ?? 0} prompt + ${step.usage?.completionTokens ?? 0} completion in ${step.usage?.modelCalls ?? 0} model call(s), ${step.repairAttempts ?? 0} repair(s), ${step.attempts} attempt(s)`,
      ].join('; ');
    case 'verification':
      return `Fact ${code(step.fact)} from ${code(step.source)} (key ${code(step.idempotencyKey)}, ${step.attempts} attempt(s)): ${step.outcome === 'completed' ? json(step.value) : `${step.outcome} ${code(step.failure?.reasonCode ?? step.failure?.type)}`}`;
    case 'decision':
      return [
        `Rule ${code(step.ruleId)} of ${code(step.type)} under policy ${code(step.policyVersion)}: ${code(step.action)} because ${code(step.reasonCode)}`,
        `input digest ${code(step.inputDigest)} over facts ${json(step.verifiedFacts)}`,
        step.approval ? `needs ${step.approval.requiredApprovals} approval(s)${step.approval.group ? ` from ${code(step.approval.group)}` : ''} of action ${code(step.approval.actionDigest)}` : 'no approval needed',
        `source ${step.source}${step.recomputedMatches === null ? '' : step.recomputedMatches ? ', current rule agrees' : ', CURRENT RULE DISAGREES'}`,
      ].join('; ');
    case 'approval':
      return `${code(step.principal)} ${step.decision === 'approve' ? 'approved' : 'rejected'} action ${code(step.actionDigest)}${step.comment ? `: "${step.comment}"` : ''}`;
    case 'clarification':
      return step.event === 'requested'
        ? `Clarification ${step.round ?? ''} requested (${code(step.reasonCode)}, missing ${json(step.missingFields ?? [])})`
        : `Clarification ${step.round ?? ''} answered by ${code(step.principal)} (${step.answerLength ?? 0} characters, text not shown)`;
    case 'tool':
    case 'compensation':
      return `${step.kind === 'compensation' ? 'Compensation' : 'Tool'} ${code(step.tool)} step ${code(step.stepId)} (key ${code(step.idempotencyKey)}, ${step.attempts} attempt(s)): ${step.outcome === 'completed' ? json(step.result) : `${step.outcome} ${code(step.failure?.reasonCode ?? step.failure?.type)}`}`;
    case 'timer':
      return `Timer fired: ${step.summary ?? 'unnamed'} (${step.durationMs ?? '?'} ms after ${step.startedAt ?? '?'})`;
    case 'status':
      return `Status ${code(step.status)}${step.reasonCode ? ` (${code(step.reasonCode)})` : ''}`;
  }
}

/** A human-readable audit summary of one problem: the ordered steps as a Markdown table. */
export function renderAuditMarkdown(id: string, audit: ReconstructedAudit, exportedAt: string): string {
  const rows = audit.steps.map((s, i) => `| ${i + 1} | ${s.at} | ${s.eventId} | ${s.kind} | ${cell(describeStep(s))} |`);
  return [
    `# Audit of problem ${id}`,
    '',
    `- Status: ${code(audit.status)} (${audit.closed ? 'closed' : 'still running'})`,
    `- History events: ${audit.eventCount}`,
    `- Exported: ${exportedAt}`,
    '',
    'Reconstructed from the Temporal workflow history. The submitted text, clarification answers, prompts and model output are not shown.',
    '',
    '| # | at | event | kind | what happened |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
