import { accountsTouched, checkAccountScope } from './scope';

describe('principal scopes: the accounts a problem touches against who submitted it', () => {
  test('accounts come from the claims and from every verified fact that names one', () => {
    expect(accountsTouched({ accountId: 'acc-1002', invoiceId: 'INV-2001' }, { invoice: { found: true, accountId: 'ACC-1001' }, other: null })).toEqual(['ACC-1001', 'ACC-1002']);
    expect(accountsTouched({ employeeId: 'EMP-501' }, { employee: { found: true, employeeId: 'EMP-501' } })).toEqual([]);
  });

  test.each<[string, Parameters<typeof checkAccountScope>[0], string[], ReturnType<typeof checkAccountScope>]>([
    ['unscoped support staff act on any account', {}, ['ACC-1002'], null],
    ['a scoped principal acts on its own account', { accounts: ['ACC-1001'] }, ['ACC-1001'], null],
    ['a scoped principal naming another account', { accounts: ['ACC-1001'] }, ['ACC-1002'], { kind: 'reject', reasonCode: 'account_not_entitled' }],
    ['its own account in the claim, another in the facts (an invoice of another account)', { accounts: ['ACC-1001'] }, ['ACC-1001', 'ACC-1002'], { kind: 'reject', reasonCode: 'account_not_entitled' }],
    ['scope ids compare case-insensitively', { accounts: ['acc-1001'] }, ['ACC-1001'], null],
    ['the text names an account other than customerId', { customerId: 'ACC-1001' }, ['ACC-1002'], { kind: 'clarify', reasonCode: 'account_differs_from_customer', accountId: 'ACC-1002' }],
    ['the text names the customerId account', { customerId: 'acc-1001' }, ['ACC-1001'], null],
    ['out of scope wins over a customerId mismatch', { accounts: ['ACC-1001'], customerId: 'ACC-1001' }, ['ACC-1003'], { kind: 'reject', reasonCode: 'account_not_entitled' }],
  ])('%s', (_name, scope, accounts, verdict) => {
    expect(checkAccountScope(scope, accounts)).toEqual(verdict);
  });
});
