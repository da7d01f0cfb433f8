import { lookUpAccount } from '../account';
import { call, lookups } from '../plug-in';
import type { PlanChangeClaims } from './schema';
import { lookUpPlan } from './tools';

/** The facts a plan change is decided on: the account (plan, dues, lock-in) and the target plan. */
export const planChangeVerification = lookups((claims: PlanChangeClaims) => ({
  account: call(lookUpAccount, { accountId: claims.accountId }, `Look up account ${claims.accountId}`),
  plan: call(lookUpPlan, { planId: claims.targetPlan }, `Look up plan ${claims.targetPlan}`),
}));
