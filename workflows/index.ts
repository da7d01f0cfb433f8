export { problemWorkflow } from './problem-workflow';
