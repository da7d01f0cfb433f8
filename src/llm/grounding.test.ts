import { groundEntities, isGrounded } from './grounding';

describe('grounding guard: ids and amounts must occur in the user text', () => {
  test.each<[unknown, string, boolean]>([
    ['ACC-1001', 'my account ACC-1001 is down', true],
    ['ACC-1001', 'acc 1001 is down', true],
    ['ACC-1001', 'Account: ACC_1001 | mobile', true],
    ['ACC-1001', 'account no ACC1001', true],
    ['INV-2001', 'bill no inv#2001', true],
    ['MOB-599', 'upgrade to MOB599', true],
    ['2026-11-20', 'down since 2026-11-20.', true],
    ['400001', 'pin 400001', true],
    [1500, 'fee Rs.1500 charged', true],
    [1500, 'refund Rs 1,500 please', true],
    [1500, 'refund 1500.00', true],
    [299.5, 'charged 299.50', true],
    ['ACC-1002', 'my account ACC-1001', false],
    ['ACC-100', 'my account ACC-1001', false],
    ['ACC-1001', 'my account ACC-10012', false],
    ['EMP-501', 'XEMP-501', false],
    ['400001', 'ref 4000012', false],
    [1500, 'charged 15000', false],
    [1500, 'charged 1500.50', false],
    [7, 'for a week', false],
    [299, 'I was charged twice, refund please', false],
  ])('%p in %p: %p', (value, text, grounded) => {
    expect(isGrounded(value, text)).toBe(grounded);
  });

  test('values without digits (enum words, names) are not ids and pass', () => {
    expect(isGrounded('fiber', 'my broadband is down')).toBe(true);
    expect(isGrounded('INR', '$45')).toBe(true);
  });

  test('drops what the text does not contain, across every part of the conversation', () => {
    const texts = ['I was charged twice on my mobile plan', 'It is account ACC-1002'];
    const { entities, dropped } = groundEntities({ accountId: 'ACC-1002', invoiceId: 'INV-2002', amount: 299, reason: 'duplicate_charge', currency: null }, texts);
    expect(entities).toEqual({ accountId: 'ACC-1002', reason: 'duplicate_charge' });
    expect(dropped.sort()).toEqual(['amount', 'invoiceId']);
  });
});
