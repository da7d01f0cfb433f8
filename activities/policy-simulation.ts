import { Context } from '@temporalio/activity';
import { simulatePage, type PastDecisionsDeps, type SimulatePageInput, type SimulatePageResult } from '../src/audit/past-decisions';

/**
 * Activities of the policy what-if: one visibility page of past problems per call, each one's
 * recorded decision read from its history. Heartbeats per history so a worker that dies mid-page
 * is noticed within the heartbeat timeout and the page is read again (it only reads).
 */
export function createSimulationActivities(deps: Omit<PastDecisionsDeps, 'onProgress'>) {
  return {
    async simulatePastProblems(input: SimulatePageInput): Promise<SimulatePageResult> {
      return simulatePage({ ...deps, onProgress: () => Context.current().heartbeat() }, input);
    },
  };
}

/** The simulation activities, as workflows proxy them. */
export type SimulationActivities = ReturnType<typeof createSimulationActivities>;
