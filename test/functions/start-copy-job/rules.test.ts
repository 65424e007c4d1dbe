import { describe, expect, it } from 'vitest';
import { collectCopyRules, parseCopyRules } from '../../../functions/start-copy-job/rules.js';
import { ConfigError } from '../../../shared/errors.js';
import { MAX_GLOB_LENGTH } from '../../../shared/glob.js';

import { ctx, DR, issueExample, ROLE, rule, SRC, vault } from './builders.js';

describe('parseCopyRules', () => {
  it('accepts the shape of the issue and fills defaults', () => {
    const rules = parseCopyRules(issueExample, ctx);
    expect(rules).toEqual([
      {
        name: 'dr-eu',
        match: issueExample[0]?.match,
        destinations: [
          {
            vaultArn: vault('eu-west-1', DR, 'dr'),
            via: [vault('eu-west-1', SRC, 'staging')],
            lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 365 },
            iamRoleArn: ROLE,
          },
        ],
      },
    ]);
    expect(Object.isFrozen(rules)).toBe(true);
  });

  it('uses DEFAULT_COPY_ROLE_ARN for destinations without a role', () => {
    const rules = parseCopyRules([rule({}, { iamRoleArn: undefined })], { ...ctx, defaultRoleArn: ROLE });
    expect(rules[0]?.destinations[0]?.iamRoleArn).toBe(ROLE);
  });

  it.each([
    { case: 'not an array', json: { name: 'x' }, problems: ['COPY_RULES must be a JSON array of rules'] },
    {
      case: 'unknown rule key (typo)',
      json: [{ ...rule(), destination: [] }],
      problems: ['[0] ("r"): unknown key "destination"'],
    },
    {
      case: 'unknown match key',
      json: [rule({ match: { sourceVaults: 'x' } })],
      problems: ['[0] ("r").match: unknown key "sourceVaults"'],
    },
    {
      case: 'unknown lifecycle key',
      json: [rule({}, { lifecycle: { deleteAfterDay: 3 } })],
      problems: ['[0] ("r").destinations[0].lifecycle: unknown key "deleteAfterDay"'],
    },
    {
      case: 'malformed vault ARN',
      json: [rule({}, { vaultArn: 'arn:aws:backup:us-west-2:111122223333:vault/dr' })],
      problems: ['[0] ("r").destinations[0].vaultArn: must be a backup vault ARN'],
    },
    {
      case: 'malformed via ARN',
      json: [rule({}, { via: ['staging'] })],
      problems: ['[0] ("r").destinations[0].via[0]: must be a backup vault ARN'],
    },
    {
      case: 'malformed role ARN',
      json: [rule({}, { iamRoleArn: `arn:aws:iam::${SRC}:user/bob` })],
      problems: ['[0] ("r").destinations[0].iamRoleArn: must be an IAM role ARN'],
    },
    {
      case: 'a wildcard role ARN (never a role: a PassRole wildcard)',
      json: [rule({}, { iamRoleArn: `arn:aws:iam::${SRC}:role/backup-*` })],
      problems: ['[0] ("r").destinations[0].iamRoleArn: must be an IAM role ARN'],
    },
    {
      case: 'a vault ARN without its Region',
      json: [rule({}, { vaultArn: 'arn:aws:backup::111122223333:backup-vault:dr' })],
      problems: ['[0] ("r").destinations[0].vaultArn: must be a backup vault ARN'],
    },
    {
      case: 'a vault ARN without its account',
      json: [rule({}, { via: ['arn:aws:backup:eu-west-1::backup-vault:staging'] })],
      problems: ['[0] ("r").destinations[0].via[0]: must be a backup vault ARN'],
    },
    {
      case: 'missing role and no default',
      json: [rule({}, { iamRoleArn: undefined })],
      problems: ['[0] ("r").destinations[0].iamRoleArn: is required (or set DEFAULT_COPY_ROLE_ARN)'],
    },
    {
      case: 'lifecycle breaking the 90-day rule',
      json: [rule({}, { lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 119 } })],
      problems: ['[0] ("r").destinations[0].lifecycle.deleteAfterDays: must be at least 90 days after'],
    },
    {
      case: 'lifecycle days not whole',
      json: [rule({}, { lifecycle: { deleteAfterDays: 1.5 } })],
      problems: ['[0] ("r").destinations[0].lifecycle.deleteAfterDays: must be a positive whole number'],
    },
    {
      case: 'duplicate rule names',
      json: [rule(), rule()],
      problems: ['[1] ("r").name: duplicate rule name "r" (also [0])'],
    },
    { case: 'missing name', json: [rule({ name: '' })], problems: ['[0].name: must be a non-empty string'] },
    { case: 'no name key', json: [rule({ name: undefined })], problems: ['COPY_RULES[0].name: is required'] },
    {
      case: 'a destination without vaultArn',
      json: [rule({}, { vaultArn: undefined })],
      problems: ['COPY_RULES[0] ("r").destinations[0].vaultArn: is required'],
    },
    { case: 'no destinations key', json: [{ name: 'r' }], problems: ['COPY_RULES[0] ("r").destinations: is required'] },
    {
      case: 'no destinations',
      json: [rule({ destinations: [] })],
      problems: ['[0] ("r").destinations: must be a non-empty array'],
    },
    {
      case: 'destination equal to the source',
      json: [
        rule({ match: { sourceVault: 'prod', regions: ['us-east-1'] } }, { vaultArn: vault('us-east-1', SRC, 'prod') }),
      ],
      problems: ['[0] ("r").destinations[0].vaultArn: hop 1 copies into the source vault'],
    },
    {
      case: 'a route whose last hop comes back into the source vault',
      json: [
        rule(
          { match: { sourceVault: 'prod', regions: ['us-east-1'] } },
          { via: [vault('eu-west-1', SRC, 'staging')], vaultArn: vault('us-east-1', SRC, 'prod') },
        ),
      ],
      problems: ['[0] ("r").destinations[0].vaultArn: hop 2 copies back into the source vault'],
    },
    {
      case: 'a hop equal to its predecessor',
      json: [rule({}, { via: [vault('eu-west-1', SRC, 'staging')], vaultArn: vault('eu-west-1', SRC, 'staging') })],
      problems: ['[0] ("r").destinations[0].vaultArn: hop 2 copies into the vault it copies from'],
    },
    {
      case: 'a hop into another account before the last',
      json: [rule({}, { via: [vault('eu-west-1', DR, 'dr-staging')], vaultArn: vault('ap-southeast-2', DR, 'dr') })],
      problems: ['[0] ("r").destinations[0].via[0]: hop 1 of 2 goes into account 222233334444'],
    },
    {
      case: 'a hop into another account than match.accounts before the last',
      json: [
        rule(
          { match: { accounts: ['444455556666'] } },
          {
            via: [vault('eu-west-1', SRC, 'staging')],
            vaultArn: vault('eu-west-1', DR, 'dr'),
            iamRoleArn: 'arn:aws:iam::444455556666:role/copy',
          },
        ),
      ],
      problems: ['[0] ("r").destinations[0].via[0]: hop 1 of 2 goes into account 111122223333'],
    },
    {
      case: 'intermediate hops with several source accounts',
      json: [
        rule(
          { match: { accounts: [SRC, '444455556666'] } },
          { via: [vault('eu-west-1', SRC, 'staging')], vaultArn: vault('eu-west-1', DR, 'dr') },
        ),
      ],
      problems: [
        '[0] ("r").destinations[0].via: a route with intermediate vaults runs from one source account',
        '[0] ("r").destinations[0].iamRoleArn: one role cannot serve 2 source accounts',
      ],
    },
    {
      case: 'a role of another account than the source account',
      json: [rule({}, { iamRoleArn: `arn:aws:iam::${DR}:role/copy` })],
      problems: ['[0] ("r").destinations[0].iamRoleArn: must be a role in the source account 111122223333'],
    },
    {
      case: 'one role for several source accounts',
      json: [rule({ match: { accounts: [SRC, DR] } })],
      problems: ['[0] ("r").destinations[0].iamRoleArn: one role cannot serve 2 source accounts'],
    },
    {
      case: 'bad account and Region',
      json: [rule({ match: { accounts: ['1234'], regions: ['Europe'] } })],
      problems: [
        '[0] ("r").match.accounts[0]: must be an account id (12 digits, or 13 as in AWS\'s sample events)',
        '[0] ("r").match.regions[0]: must be a Region code',
      ],
    },
    {
      case: 'a source account listed twice',
      json: [rule({ match: { accounts: [SRC, SRC] } })],
      problems: ['[0] ("r").match.accounts[1]: "111122223333" is already listed at [0]'],
    },
    {
      case: 'a Region and a resource type listed twice',
      json: [rule({ match: { regions: ['us-east-1', 'eu-west-1', 'us-east-1'], resourceTypes: ['EBS', 'EBS'] } })],
      problems: [
        '[0] ("r").match.regions[2]: "us-east-1" is already listed at [0]',
        '[0] ("r").match.resourceTypes[1]: "EBS" is already listed at [0]',
      ],
    },
    {
      case: 'a malformed account twice (reported as malformed only)',
      json: [rule({ match: { accounts: ['1234', '1234'] } })],
      problems: [
        '[0] ("r").match.accounts[0]: must be an account id',
        '[0] ("r").match.accounts[1]: must be an account id',
      ],
    },
    {
      case: 'the same destination twice',
      json: [
        rule({
          destinations: [
            { vaultArn: vault('us-west-2', SRC, 'dr'), iamRoleArn: ROLE },
            { vaultArn: vault('us-west-2', SRC, 'dr'), iamRoleArn: ROLE },
          ],
        }),
      ],
      problems: [
        `[0] ("r").destinations[1]: repeats the route of destinations[0] (${vault('us-west-2', SRC, 'dr')}): only one copy is made per route`,
      ],
    },
    {
      case: 'a repeated account and a repeated destination (both reported at once)',
      json: [
        rule({
          match: { accounts: [SRC, SRC] },
          destinations: [
            { vaultArn: vault('us-west-2', SRC, 'dr'), iamRoleArn: ROLE },
            { vaultArn: vault('us-west-2', SRC, 'dr'), iamRoleArn: ROLE },
          ],
        }),
      ],
      problems: [
        '[0] ("r").match.accounts[1]: "111122223333" is already listed at [0]',
        '[0] ("r").destinations[1]: repeats the route of destinations[0]',
      ],
    },
    {
      case: 'two destinations along one route with different lifecycles',
      json: [
        rule({
          destinations: [
            { vaultArn: vault('us-west-2', SRC, 'dr'), via: [vault('eu-west-1', SRC, 'staging')], iamRoleArn: ROLE },
            {
              vaultArn: vault('us-west-2', SRC, 'dr'),
              via: [vault('eu-west-1', SRC, 'staging')],
              lifecycle: { deleteAfterDays: 30 },
              iamRoleArn: ROLE,
            },
          ],
        }),
      ],
      problems: [
        `[0] ("r").destinations[1]: repeats the route of destinations[0] (${vault('eu-west-1', SRC, 'staging')} -> ${vault('us-west-2', SRC, 'dr')})`,
      ],
    },
    {
      case: 'a route that comes back to a vault',
      json: [
        rule(
          {},
          {
            via: [vault('eu-west-1', SRC, 'a'), vault('eu-west-2', SRC, 'b')],
            vaultArn: vault('eu-west-1', SRC, 'a'),
          },
        ),
      ],
      problems: [
        `[0] ("r").destinations[0].vaultArn: hop 3 copies into ${vault('eu-west-1', SRC, 'a')} again (hop 1 did): a route lists each vault once`,
      ],
    },
    {
      case: 'a vault glob longer than the glob bound',
      json: [rule({ match: { sourceVault: 'p'.repeat(MAX_GLOB_LENGTH + 1) } })],
      problems: [
        `[0] ("r").match.sourceVault: must be a vault name glob of at most ${MAX_GLOB_LENGTH} characters (got "ppp`,
      ],
    },
    {
      case: 'a resource type glob with a lone surrogate',
      json: [rule({ match: { resourceTypes: ['EB\ud800*'] } })],
      problems: ['[0] ("r").match.resourceTypes[0]: must be well-formed Unicode (no lone surrogate)'],
    },
  ])('rejects $case', ({ json, problems }) => {
    const result = collectCopyRules(json, ctx);
    expect(result.problems).toHaveLength(problems.length);
    for (const [i, expected] of problems.entries()) expect(result.problems[i]).toContain(expected);
  });

  it('accepts globs up to the bound, and routes to one vault through different vaults', () => {
    const longest = `prod-${'*'.repeat(MAX_GLOB_LENGTH - 5)}`;
    const rules = parseCopyRules(
      [
        rule({
          match: { sourceVault: longest, resourceTypes: ['EBS', 'ebs'] },
          destinations: [
            { vaultArn: vault('us-west-2', SRC, 'dr'), iamRoleArn: ROLE },
            { vaultArn: vault('us-west-2', SRC, 'dr'), via: [vault('eu-west-1', SRC, 'staging')], iamRoleArn: ROLE },
          ],
        }),
      ],
      ctx,
    );
    expect(rules[0]?.match.sourceVault).toHaveLength(MAX_GLOB_LENGTH);
    expect(rules[0]?.destinations).toHaveLength(2);
  });

  it('lists every problem of every rule in one ConfigError, in the order of the JSON', () => {
    const json = [
      rule(
        { extra: 1 },
        { vaultArn: 'nope', iamRoleArn: 'nope', lifecycle: { moveToColdStorageAfterDays: 10, deleteAfterDays: 20 } },
      ),
      rule({}, { via: [vault('eu-west-1', DR, 'x')], vaultArn: vault('eu-west-2', DR, 'y') }),
      rule(),
    ];
    let caught: unknown;
    try {
      parseCopyRules(json, ctx);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toEqual([
      'COPY_RULES[0] ("r"): unknown key "extra" (allowed: name, match, destinations)',
      expect.stringContaining('COPY_RULES[0] ("r").destinations[0].vaultArn: must be a backup vault ARN'),
      expect.stringContaining('COPY_RULES[0] ("r").destinations[0].iamRoleArn: must be an IAM role ARN'),
      expect.stringContaining(
        'COPY_RULES[0] ("r").destinations[0].lifecycle.deleteAfterDays: must be at least 90 days',
      ),
      'COPY_RULES[1] ("r").name: duplicate rule name "r" (also [0])',
      expect.stringContaining('COPY_RULES[1] ("r").destinations[0].via[0]: hop 1 of 2 goes into account 222233334444'),
      'COPY_RULES[2] ("r").name: duplicate rule name "r" (also [0])',
    ]);
  });
});

describe('parseCopyRules: a vault of the source name in another Region is another vault', () => {
  const home = { ...ctx, region: 'us-east-1' };
  const sameName = (region: string) => [
    rule({ match: { sourceVault: 'prod' } }, { vaultArn: vault(region, SRC, 'prod') }),
  ];

  it('accepts the usual cross-Region copy into a vault of the same name, without match.regions', () => {
    expect(collectCopyRules(sameName('us-west-2'), home).problems).toEqual([]);
  });

  it("refuses the vault of the same name in the function's own Region: the source vault itself", () => {
    expect(collectCopyRules(sameName('us-east-1'), home).problems).toEqual([
      `COPY_RULES[0] ("r").destinations[0].vaultArn: hop 1 copies into the source vault ${vault('us-east-1', SRC, 'prod')}`,
    ]);
  });
});
