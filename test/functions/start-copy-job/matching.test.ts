import { describe, expect, it } from 'vitest';
import { ruleMatches } from '../../../functions/start-copy-job/matching.js';
import { parseCopyRules } from '../../../functions/start-copy-job/rules.js';
import { ctx, DR, ROLE, SRC, vault } from './builders.js';

describe('ruleMatches', () => {
  const rules = parseCopyRules(
    [
      { name: 'any', destinations: [{ vaultArn: vault('us-west-2', SRC, 'a'), iamRoleArn: ROLE }] },
      {
        name: 'prod-ebs',
        match: { sourceVault: 'prod-*', resourceTypes: ['EBS'] },
        destinations: [{ vaultArn: vault('us-west-2', SRC, 'b'), iamRoleArn: ROLE }],
      },
      {
        name: 'all-types-in-us-east-1',
        match: { resourceTypes: ['*'], regions: ['us-east-1'], accounts: [SRC] },
        destinations: [{ vaultArn: vault('us-west-2', SRC, 'c'), iamRoleArn: ROLE }],
      },
      {
        name: 'nested-vaults',
        match: { sourceVault: 'aws/backup/*', resourceTypes: ['Aurora', 'Document*'] },
        destinations: [{ vaultArn: vault('us-west-2', SRC, 'd'), iamRoleArn: ROLE }],
      },
    ],
    ctx,
  );
  const src = { vaultName: 'prod-daily', resourceType: 'EBS', accountId: SRC, region: 'us-east-1' };

  it.each([
    { case: 'every rule that matches', source: src, expected: ['any', 'prod-ebs', 'all-types-in-us-east-1'] },
    {
      case: 'glob on the vault name',
      source: { ...src, vaultName: 'test-daily' },
      expected: ['any', 'all-types-in-us-east-1'],
    },
    {
      case: 'resource type filter',
      source: { ...src, resourceType: 'RDS' },
      expected: ['any', 'all-types-in-us-east-1'],
    },
    {
      case: 'unknown type only matches "*"',
      source: { ...src, resourceType: undefined },
      expected: ['any', 'all-types-in-us-east-1'],
    },
    { case: 'Region filter', source: { ...src, region: 'eu-west-1' }, expected: ['any', 'prod-ebs'] },
    { case: 'account filter', source: { ...src, accountId: DR }, expected: [] }, // a rule without match.accounts copies from the function's account only
    {
      case: 'glob spanning "/" and type globs',
      source: { ...src, vaultName: 'aws/backup/automatic', resourceType: 'DocumentDB', region: 'eu-west-1' },
      expected: ['any', 'nested-vaults'],
    },
  ])('$case', ({ source, expected }) => {
    expect(rules.filter((rule) => ruleMatches(rule, source)).map((r) => r.name)).toEqual(expected);
  });
});
