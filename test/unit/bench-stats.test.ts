import { inAlternatingOrder } from '../../bench/lib/stats';

describe('inAlternatingOrder', () => {
  const order = async (round: number) => {
    const ran: string[] = [];
    const result = await inAlternatingOrder(
      round,
      async () => (ran.push('a'), 'A'),
      async () => (ran.push('b'), 'B'),
    );
    return { ran, result };
  };

  test('runs a first in even rounds and b first in odd ones, and always answers [a, b]', async () => {
    expect(await order(0)).toEqual({ ran: ['a', 'b'], result: ['A', 'B'] });
    expect(await order(1)).toEqual({ ran: ['b', 'a'], result: ['A', 'B'] });
    expect(await order(2)).toEqual({ ran: ['a', 'b'], result: ['A', 'B'] });
  });

  test('does not start the second until the first has finished', async () => {
    let firstDone = false;
    let sawFirstDone: boolean | undefined;
    await inAlternatingOrder(
      1,
      async () => (sawFirstDone = firstDone),
      async () => {
        await new Promise((r) => setTimeout(r, 20));
        firstDone = true;
      },
    );
    expect(sawFirstDone).toBe(true);
  });
});
