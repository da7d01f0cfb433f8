import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes; the dev server registers them at start (see scripts/). */
export const problemSearchAttributes = {
  type: defineSearchAttributeKey('ProblemType', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('ProblemStatus', SearchAttributeType.KEYWORD),
  customerId: defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD),
  requiresApproval: defineSearchAttributeKey('RequiresApproval', SearchAttributeType.BOOL),
  submittedBy: defineSearchAttributeKey('SubmittedBy', SearchAttributeType.KEYWORD),
};

/** `Name=Type` pairs for `temporal server start-dev --search-attribute`. */
export const searchAttributeFlags: string[] = Object.values(problemSearchAttributes).map(
  (key) => `${key.name}=${key.type === SearchAttributeType.BOOL ? 'Bool' : 'Keyword'}`,
);
