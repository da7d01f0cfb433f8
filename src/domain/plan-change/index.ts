import { lookUpAccount, notifyCustomer } from '../account';
import { defineProblemType } from '../plug-in';
import { decidePlanChange } from './decide';
import { defaultPlanChangePolicy, planChangeClaims, planChangePolicySchema } from './schema';
import { changePlan, lookUpPlan, rerateBilling, revertPlanChange } from './tools';
import { planChangeVerification } from './verify';

/** A customer wants to move to another plan. */
export const planChange = defineProblemType({
  name: 'plan_change',
  description: 'A customer wants to change (upgrade, downgrade or switch) their mobile or fiber plan to another plan.',
  intentKeywords: ['change (my |the )?plan', 'plan change', '\\bswitch\\b', 'upgrade', 'downgrade', '\\b(move|migrate) (me |acc-\\d+ )?to (the )?(mob|fiber)-'],
  fieldHints: {
    accountId: { kind: 'id', prefix: 'ACC' },
    // The plan after "from" is the current one, not the target.
    targetPlan: { kind: 'pattern', source: '(?<!from\\s+(?:the\\s+)?)\\b((?:fiber|mob)-\\d{3,4})\\b', normalize: 'upper' },
    effectiveDate: { kind: 'date' },
  },
  claims: planChangeClaims,
  policy: planChangePolicySchema,
  defaultPolicy: defaultPlanChangePolicy,
  verify: planChangeVerification,
  decide: decidePlanChange,
  tools: [lookUpAccount, lookUpPlan, changePlan, revertPlanChange, rerateBilling, notifyCustomer],
  samples: [
    'Please upgrade account ACC-1001 from FIBER-100 to FIBER-300.',
    'I want to switch to MOB-599, account ACC-1002.',
    'Change my plan to MOB-599 from 2026-12-01, account ACC-1005.',
    'I want a better plan',
  ],
});
