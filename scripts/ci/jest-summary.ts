/**
 * Prints jest's result as the one line CI reads: `jest: N passed, N failed`.
 * Reads the JSON that `jest --json --outputFile=<file>` wrote; a missing or unreadable
 * file (jest crashed before writing it) counts as one failure so CI never reads it as green.
 */
import fs from 'node:fs';

interface JestJsonResult {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numRuntimeErrorTestSuites: number;
}

function summary(file: string): string {
  try {
    const result = JSON.parse(fs.readFileSync(file, 'utf8')) as JestJsonResult;
    // A suite that fails to run has no failed tests of its own; count it so it cannot hide.
    const failed = result.numFailedTests + result.numRuntimeErrorTestSuites;
    const skipped = result.numPendingTests > 0 ? `, ${result.numPendingTests} skipped` : '';
    return `jest: ${result.numPassedTests} passed, ${failed} failed${skipped}`;
  } catch {
    return 'jest: 0 passed, 1 failed';
  }
}

const file = process.argv[2];
if (!file) throw new Error('usage: jest-summary <jest-json-file>');
console.log(summary(file));
