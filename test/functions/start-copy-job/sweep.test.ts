import { describe, expect, it } from 'vitest';
import type { StartCopyDeps } from '../../../functions/start-copy-job/deps.js';
import { sweepAccounts } from '../../../functions/start-copy-job/sweep.js';
import { ACCOUNT_DEPLOYMENT } from '../../../shared/accounts/deployment.js';
import { aBaseDeps } from '../../support/base-deps.js';

const OWN = '111122223333';
const rules = (accounts?: string[]) =>
  [{ match: accounts ? { accounts } : {} }] as unknown as StartCopyDeps['config']['rules'];
const depsWith = (mode: 'account' | 'central', accounts?: string[]) => ({
  identity: aBaseDeps('backup-autopilot-start-copy-job').identity,
  deployment: mode === 'account' ? ACCOUNT_DEPLOYMENT : { ...ACCOUNT_DEPLOYMENT, mode, organizationId: 'o-a1b2c3d4e5' },
  config: { rules: rules(accounts) } as StartCopyDeps['config'],
});

describe('sweepAccounts', () => {
  it('account mode sweeps its own account only, even when a rule names others', () => {
    expect(sweepAccounts(depsWith('account', ['444455556666']))).toEqual([OWN]);
  });

  it('central mode sweeps its own account and every account a rule names, once each', () => {
    expect(sweepAccounts(depsWith('central', ['444455556666', OWN, '444455556666']))).toEqual([OWN, '444455556666']);
    expect(sweepAccounts(depsWith('central'))).toEqual([OWN]);
  });
});
