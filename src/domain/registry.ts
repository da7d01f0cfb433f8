import { accessRequest } from './access-request';
import { billingDispute } from './billing-dispute';
import { connectivityIssue } from './connectivity-issue';
import { planChange } from './plan-change';
import type { ProblemType, ToolDefinition } from './types';

/**
 * The problem catalog: the one place a problem type is registered.
 * The workflow, the extraction prompt, the rules provider and the worker's tools all read it.
 */
export const problemTypes: readonly ProblemType[] = [
  billingDispute,
  connectivityIssue,
  planChange,
  accessRequest,
];

/** A catalog of problem types with lookups by type and tool name. */
export interface Catalog {
  types: readonly ProblemType[];
  get(name: string): ProblemType | undefined;
  tool(name: string): ToolDefinition | undefined;
  tools(): ToolDefinition[];
}

/** Builds a catalog; tests build one with extra types to prove the extension point. */
export function createCatalog(types: readonly ProblemType[]): Catalog {
  const byName = new Map(types.map((t) => [t.name, t]));
  const tools = new Map<string, ToolDefinition>();
  for (const t of types) {
    for (const tool of t.tools) {
      const existing = tools.get(tool.name);
      if (existing && existing !== tool) throw new Error(`tool ${tool.name} is defined twice`);
      tools.set(tool.name, tool);
    }
  }
  if (byName.size !== types.length) throw new Error('problem type names must be unique');
  return {
    types,
    get: (name) => byName.get(name),
    tool: (name) => tools.get(name),
    tools: () => [...tools.values()],
  };
}

/** The catalog of registered problem types. */
export const catalog = createCatalog(problemTypes);

/**
 * Refuses a worker that cannot serve its catalog: a tool with no activity of its name, or a type
 * with no policy section its schema accepts (e.g. a policy resolved for another catalog). Checked
 * at worker start, so the gap fails the deployment instead of a problem's activity.
 */
export function assertCatalogServed(catalog: Catalog, served: { activities: readonly string[]; policyTypes: Record<string, unknown> }): void {
  const activities = new Set(served.activities);
  const gaps = [
    ...catalog.tools().filter((t) => !activities.has(t.name)).map((t) => `tool ${t.name} has no activity`),
    ...catalog.types.filter((t) => !t.policy.safeParse(served.policyTypes[t.name]).success).map((t) => `type ${t.name} has no valid policy section`),
  ];
  if (gaps.length > 0) throw new Error(`the worker cannot serve its problem catalog: ${gaps.join('; ')}`);
}
