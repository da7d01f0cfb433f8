/**
 * Verification stage: the claims are checked against the systems of record. The rules plan the
 * lookups in stages (a later lookup may need an earlier fact); each stage's lookups run in
 * parallel, one tool activity each, keyed `<problemId>/verify-<fact>`.
 */
import type { Facts, ToolCall } from '../../src/domain/types';
import { reasonOf } from '../failures';
import type { Rules } from '../rules';
import type { RunTool } from './tool-step';

/** Runs the planned lookups stage by stage; their results are the verified facts, or the failure that stopped them. */
export async function verifyClaims(rules: Rules, runTool: RunTool, request: { type: string; claims: Record<string, unknown> }, firstLookups?: Record<string, ToolCall>): Promise<Facts | Error> {
  const facts: Facts = {};
  let lookups = firstLookups;
  try {
    for (;;) {
      if (!lookups) {
        const plan = await rules.plan({ ...request, facts });
        if (plan.kind === 'invalid') return new Error('claims no longer valid');
        lookups = plan.lookups;
      }
      const stage = Object.entries(lookups);
      if (stage.length === 0) return facts;
      const results = await Promise.all(stage.map(([name, call]) => runTool({ ...call, id: `verify-${name}` })));
      stage.forEach(([name], i) => (facts[name] = results[i]));
      lookups = undefined;
    }
  } catch (err) {
    return new Error(reasonOf(err, 'verification_failed').message);
  }
}
