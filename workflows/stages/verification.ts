/**
 * Verification stage: the claims are checked against the systems of record. The rules plan the
 * lookups in stages (a later lookup may need an earlier fact); each stage's lookups run in
 * parallel, one tool activity each (a local activity for problems of this build), keyed
 * `<problemId>/verify-<fact>`. After a stage the plan said was the last, nothing more is planned
 * (one local activity fewer per problem; plans recorded before they said so are planned again,
 * as they were).
 */
import type { Facts, ToolCall } from '../../src/domain/types';
import { reasonOf } from '../failures';
import type { Rules } from '../rules';
import type { RunTool } from './tool-step';

/** A planned stage: its lookups, and whether it is the last (`undefined` in older plans: ask again). */
export interface PlannedStage {
  lookups: Record<string, ToolCall>;
  last?: boolean;
}

/** Runs the planned lookups stage by stage; their results are the verified facts, or the failure that stopped them. */
export async function verifyClaims(rules: Rules, runTool: RunTool, request: { type: string; claims: Record<string, unknown> }, first?: PlannedStage): Promise<Facts | Error> {
  const facts: Facts = {};
  let planned = first;
  try {
    for (;;) {
      if (!planned) {
        const plan = await rules.plan({ ...request, facts });
        if (plan.kind === 'invalid') return new Error('claims no longer valid');
        planned = plan;
      }
      const stage = Object.entries(planned.lookups);
      if (stage.length === 0) return facts;
      const results = await Promise.all(stage.map(([name, call]) => runTool({ ...call, id: `verify-${name}` })));
      stage.forEach(([name], i) => (facts[name] = results[i]));
      if (planned.last === true) return facts;
      planned = undefined;
    }
  } catch (err) {
    return new Error(reasonOf(err, 'verification_failed').message);
  }
}
