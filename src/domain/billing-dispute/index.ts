import { defineProblemType } from '../plug-in';
import { decideBillingDispute } from './decide';
import { billingDisputeClaims, billingPolicySchema, defaultBillingPolicy } from './schema';
import { issueCredit, lookUpInvoice } from './tools';
import { billingVerification } from './verify';

/** A customer disputes a charge on an invoice. */
export const billingDispute = defineProblemType({
  name: 'billing_dispute',
  description: 'A customer disputes a charge on an invoice (charged twice, overcharged, billed for a service not received) and wants it credited.',
  intentKeywords: ['charged twice', 'double charge', 'duplicate charge', 'overcharg', 'dispute', 'refund', 'wrong(ly)? (bill|charge)', 'billed', 'charged', 'credit'],
  fieldHints: {
    accountId: { kind: 'id', prefix: 'ACC' },
    invoiceId: { kind: 'id', prefix: 'INV' },
    amount: { kind: 'money' },
    currency: { kind: 'currency' },
    // A plan code, or the words customers use for a line ("fiber plan", "installation").
    item: { kind: 'pattern', source: '\\b((?:FIBER|MOB)-\\d+|fib(?:er|re) plan|mobile plan|installation)\\b', normalize: 'upper' },
    reason: {
      kind: 'enum',
      synonyms: {
        duplicate_charge: ['twice', 'double', 'duplicate', 'two times', '2 times'],
        overcharge: ['overcharg', 'more than', 'extra', 'too much', 'wrong amount'],
        service_not_received: ['not received', 'never received', 'never used', 'not delivered', 'not installed'],
      },
    },
  },
  claims: billingDisputeClaims,
  policy: billingPolicySchema,
  defaultPolicy: defaultBillingPolicy,
  verify: billingVerification,
  decide: decideBillingDispute,
  tools: [lookUpInvoice, issueCredit],
  samples: [
    'I was charged 299 twice on invoice INV-2002 for my mobile plan, account ACC-1002. Please refund Rs 299.',
    'Account ACC-1001: invoice INV-2001 has the fiber plan at ₹999 but I cancelled before October. Please credit 999.',
    'I was charged twice for my fiber plan in October',
  ],
});
