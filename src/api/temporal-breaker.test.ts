import type { Client } from '@temporalio/client';
import { createTemporalBreaker } from './temporal-breaker';

/** A client whose calls fail as told; counts the probes (getSystemInfo). */
function fakeClient(serverUp: () => boolean) {
  let probes = 0;
  const client = {
    connection: { withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn() },
    workflowService: {
      getSystemInfo: async () => {
        probes++;
        if (!serverUp()) throw Object.assign(new Error('4 DEADLINE_EXCEEDED: waiting for metadata filters'), { code: 4 });
        return {};
      },
    },
  } as unknown as Client;
  return { client, probes: () => probes };
}

const deadline = () => Promise.reject(Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 10.000s'), { code: 4 }));
const unavailable = () => Promise.reject(Object.assign(new Error('14 UNAVAILABLE: connection refused'), { code: 14 }));

describe('Temporal breaker', () => {
  test('one slow call (a deadline) with Temporal answering does not open the breaker: the next call goes straight through', async () => {
    const fake = fakeClient(() => true);
    const call = createTemporalBreaker(fake.client, { rpcTimeoutMs: 10_000 });
    await expect(call(deadline)).rejects.toThrow('DEADLINE_EXCEEDED');
    expect(fake.probes()).toBe(1); // the probe that told a slow call from a lost connection
    await expect(call(async () => 'ok')).resolves.toBe('ok');
    expect(fake.probes()).toBe(1);
  });

  test('a deadline while Temporal is unreachable opens it: the next call fails on a short probe', async () => {
    let up = false;
    const fake = fakeClient(() => up);
    const call = createTemporalBreaker(fake.client, { rpcTimeoutMs: 10_000 });
    await expect(call(deadline)).rejects.toThrow('DEADLINE_EXCEEDED');
    const fn = jest.fn(async () => 'ok');
    await expect(call(fn)).rejects.toThrow('DEADLINE_EXCEEDED');
    expect(fn).not.toHaveBeenCalled();
    up = true;
    await expect(call(fn)).resolves.toBe('ok');
  });

  test('UNAVAILABLE opens it at once, without a probe', async () => {
    const fake = fakeClient(() => false);
    const call = createTemporalBreaker(fake.client, { rpcTimeoutMs: 10_000 });
    await expect(call(unavailable)).rejects.toThrow('UNAVAILABLE');
    expect(fake.probes()).toBe(0);
    await expect(call(async () => 'ok')).rejects.toThrow('DEADLINE_EXCEEDED');
  });
});
