/**
 * Says, once per test file, why a tier of npm test does not run on this machine (a tool CI has and
 * a fresh machine may not: cfn-lint, ../shared). On standard error, not the console: test/setup.ts
 * silences console.warn. The tier's tests show as skipped, never as passed.
 */
export const tierDoesNotRun = (tier: string, reason: string): void => {
  process.stderr.write(`${tier}: does not run here: ${reason}\n`);
};
