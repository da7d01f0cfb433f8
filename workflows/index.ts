export { problemWorkflow } from './problem-workflow';
export { policySimulationWorkflow } from './policy-simulation-workflow';
