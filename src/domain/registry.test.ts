import type { z } from 'zod';
import { lookUpAccount } from './account';
import { assertCatalogServed, createCatalog, catalog, problemTypes } from './registry';
import { resolvePolicy } from './policy';
import type { ProblemType, ToolDefinition } from './types';

describe('the problem catalog', () => {
  test('registers the four problem types of the issue', () => {
    expect(problemTypes.map((t) => t.name)).toEqual(['billing_dispute', 'connectivity_issue', 'plan_change', 'access_request']);
  });

  test.each(problemTypes.map((t) => [t.name, t] as const))('%s: every claims field is described for the prompt', (_name, type) => {
    for (const [field, schema] of Object.entries(type.claims.shape as Record<string, z.ZodType>)) {
      expect({ field, description: schema.description }).toEqual({ field, description: expect.stringMatching(/\w{3}/) });
    }
  });

  test.each(problemTypes.map((t) => [t.name, t] as const))('%s: hints name claims fields, verify names registered read tools', (_name, type) => {
    for (const field of Object.keys(type.fieldHints)) expect(Object.keys(type.claims.shape)).toContain(field);
    const sample = Object.fromEntries(Object.keys(type.claims.shape).map((k) => [k, 'X']));
    for (const call of Object.values(type.verify(sample as never, {}).lookups)) {
      const tool = catalog.tool(call.tool);
      expect(tool).toBeDefined();
      expect(type.tools).toContain(tool);
      expect(tool!.effect).toBe('read');
    }
  });

  test.each(problemTypes.map((t) => [t.name, t] as const))('%s: the default policy satisfies its own schema, and there are samples', (_name, type) => {
    expect(type.policy.safeParse(type.defaultPolicy).success).toBe(true);
    expect(type.samples.length).toBeGreaterThanOrEqual(2);
    expect(type.intentKeywords.length).toBeGreaterThan(0);
  });

  test('tools are shared by object, and looked up by name', () => {
    expect(catalog.tool('lookUpAccount')).toBe(lookUpAccount);
    expect(catalog.tool('nope')).toBeUndefined();
    const names = catalog.tools().map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['issueCredit', 'linkOutageTicket', 'resetLine', 'bookTechnicianVisit', 'changePlan', 'revertPlanChange', 'rerateBilling', 'grantAccess', 'revokeAccess']));
  });

  test('write tools retry at least as long as read tools', () => {
    for (const tool of catalog.tools()) expect(tool.retry.maximumAttempts).toBeGreaterThanOrEqual(tool.effect === 'write' ? 10 : 1);
  });

  test('refuses two types with one name, and two different tools with one name', () => {
    const [first] = problemTypes as [ProblemType];
    expect(() => createCatalog([first, first])).toThrow('problem type names must be unique');
    const impostor: ToolDefinition = { ...lookUpAccount };
    expect(() => createCatalog([first, { ...first, name: 'other', tools: [impostor, lookUpAccount] }])).toThrow('tool lookUpAccount is defined twice');
  });

  test('a worker serves its catalog only with an activity per tool and a valid policy section per type', () => {
    const activities = catalog.tools().map((t) => t.name);
    const policyTypes = resolvePolicy(catalog).types;
    expect(() => assertCatalogServed(catalog, { activities, policyTypes })).not.toThrow();
    expect(() => assertCatalogServed(catalog, { activities: activities.filter((a) => a !== 'issueCredit'), policyTypes })).toThrow('tool issueCredit has no activity');
    const { plan_change: _dropped, ...withoutPlanChange } = policyTypes;
    expect(() => assertCatalogServed(catalog, { activities, policyTypes: withoutPlanChange })).toThrow('type plan_change has no valid policy section');
    expect(() => assertCatalogServed(catalog, { activities, policyTypes: { ...policyTypes, billing_dispute: { autoCreditMax: 'lots' } } })).toThrow('type billing_dispute has no valid policy section');
  });
});
