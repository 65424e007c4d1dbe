import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEnvVars } from '../../../sandbox/template/env-vars.js';
import { functionsOf } from '../../../sandbox/template/functions.js';
import { resolveTemplate } from '../../../sandbox/template/resolve.js';
import { TemplateError } from '../../../sandbox/template/template-error.js';

const functions = functionsOf(
  resolveTemplate(readFileSync(join(import.meta.dirname, '..', '..', '..', 'template.yaml'), 'utf8'), {
    stackName: 'autopilot',
    account: '111122223333',
    region: 'eu-west-1',
  }),
);
const envOf = (fns: readonly { logicalId: string; environment: Record<string, string> }[], logicalId: string) =>
  fns.find((fn) => fn.logicalId === logicalId)?.environment ?? {};

describe('applyEnvVars (sam local invoke --env-vars)', () => {
  it('applies Parameters to every function and a function key to that one, the function key winning', () => {
    const out = applyEnvVars(functions, {
      Parameters: { DRY_RUN: true, RETRY_MAX_ATTEMPTS: 7 },
      RetryFailedJobFunction: { DRY_RUN: 'false', LEDGER_TABLE_NAME: 'local-ledger' },
    });
    expect(envOf(out, 'RetryFailedJobFunction')).toMatchObject({
      DRY_RUN: 'false',
      RETRY_MAX_ATTEMPTS: '7',
      LEDGER_TABLE_NAME: 'local-ledger',
    });
    expect(envOf(out, 'PostSummaryFunction').DRY_RUN).toBe('true');
    expect(envOf(out, 'PostSummaryFunction').LEDGER_TABLE_NAME).toBe('autopilot-LedgerTable');
  });

  it('accepts the function name as the key too', () => {
    const out = applyEnvVars(functions, { 'autopilot-post-summary': { SUMMARY_SCOPE: 'organization' } });
    expect(envOf(out, 'PostSummaryFunction').SUMMARY_SCOPE).toBe('organization');
  });

  it('overrides only variables the template declares for the function, and stringifies as SAM does', () => {
    const out = applyEnvVars(functions, {
      Parameters: { NOT_DECLARED: 'x', RETRY_MAX_ATTEMPTS: null },
      StartCopyJobFunction: { COPY_RULES_PARAMETER: '/x', COPY_RULES: [{ a: 1 }] },
    });
    expect(envOf(out, 'RetryFailedJobFunction')).not.toHaveProperty('NOT_DECLARED');
    expect(envOf(out, 'RetryFailedJobFunction').RETRY_MAX_ATTEMPTS).toBe('');
    // COPY_RULES_PARAMETER is AWS::NoValue by default: not declared, so not added.
    expect(envOf(out, 'StartCopyJobFunction')).not.toHaveProperty('COPY_RULES_PARAMETER');
    expect(envOf(out, 'StartCopyJobFunction').COPY_RULES).toBe('');
    // The inputs are untouched.
    expect(envOf(functions, 'StartCopyJobFunction').COPY_RULES).toBe('[]');
  });

  it('refuses a malformed file, naming each bad key', () => {
    let error: unknown;
    try {
      applyEnvVars(functions, { Parameters: 'DRY_RUN=true', RetryFailedJobFunction: ['x'] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).problems).toEqual([
      '--env-vars: Parameters must be an object of VARIABLE: value (got "DRY_RUN=true")',
      '--env-vars: RetryFailedJobFunction must be an object of VARIABLE: value (got ["x"])',
    ]);
    expect(() => applyEnvVars(functions, [])).toThrow(TemplateError);
  });
});
