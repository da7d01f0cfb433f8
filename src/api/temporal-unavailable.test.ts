import { NamespaceNotFoundError } from '@temporalio/client';
import { isTemporalUnavailable } from './errors';

/** Errors seen from a real cluster during drill:cluster, answered 500 before; a 503 lets callers retry. */
describe('isTemporalUnavailable', () => {
  test.each([
    ['UNAVAILABLE', Object.assign(new Error('14 UNAVAILABLE: Not enough hosts to serve the request'), { code: 14 })],
    ['DEADLINE_EXCEEDED', Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4 })],
    ['a call cancelled when the frontend died under it', new Error('Failed to query Workflow', { cause: Object.assign(new Error('1 CANCELLED: Call cancelled'), { code: 1 }) })],
    ['a restarted history service that has not loaded its namespaces yet', new NamespaceNotFoundError('default')],
  ])('%s is an outage (503)', (_what, err) => {
    expect(isTemporalUnavailable(err)).toBe(true);
  });

  test.each([
    ['a plain bug', new TypeError('x is undefined')],
    ['INVALID_ARGUMENT', Object.assign(new Error('3 INVALID_ARGUMENT: search attribute SubmittedBy is not defined'), { code: 3 })],
    ['NOT_FOUND', Object.assign(new Error('5 NOT_FOUND: workflow not found'), { code: 5 })],
  ])('%s is not', (_what, err) => {
    expect(isTemporalUnavailable(err)).toBe(false);
  });
});
