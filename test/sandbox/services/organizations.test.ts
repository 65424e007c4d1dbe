import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStandIn } from '../../../sandbox/http/stand-in.js';
import { startOrganizations } from '../../../sandbox/services/organizations.js';
import { listActiveAccounts } from '../../../shared/organizations.js';
import { clientConfig, HOME, sandboxServices } from './sandbox-services.js';

const MEMBER = '444455556666';
const DELEGATED = '777788889999';
const OUTSIDER = '999999999999';

describe('Organizations stand-in', () => {
  const { shared } = sandboxServices();
  let organizations: RunningStandIn;
  const accounts = [
    { id: HOME.account, name: 'management' },
    { id: MEMBER, name: 'member' },
    { id: DELEGATED },
    ...Array.from({ length: 40 }, (_, i) => ({
      id: String(500000000000 + i),
      state: i === 3 ? ('SUSPENDED' as const) : undefined,
    })),
  ];
  const client = (account: string) =>
    new OrganizationsClient({
      ...clientConfig(shared, organizations.url, 'PostSummaryFunction', account),
      maxAttempts: 1,
    });

  beforeAll(async () => {
    organizations = await startOrganizations(shared, {
      managementAccount: HOME.account,
      accounts,
      delegatedAdministrators: [DELEGATED],
    });
  });
  afterAll(async () => organizations.close());

  it('pages the accounts 20 at a time, shaped as ListAccounts answers', async () => {
    const first = await client(HOME.account).send(new ListAccountsCommand({}));
    expect(first.Accounts).toHaveLength(20);
    expect(first.Accounts?.[1]).toEqual({
      Id: MEMBER,
      Arn: `arn:aws:organizations::${HOME.account}:account/o-sandbox0001/${MEMBER}`,
      Email: `aws+${MEMBER}@example.com`,
      Name: 'member',
      State: 'ACTIVE',
      JoinedMethod: 'INVITED',
      JoinedTimestamp: new Date('2024-01-15T09:00:00Z'),
    });
    expect(first.NextToken).toBeDefined();
  });

  it('serves the shared listing: 43 accounts in 3 calls, the suspended one left out', async () => {
    const calls = shared.calls.list({ operation: 'ListAccounts' }).length;
    const listed = [];
    for await (const account of listActiveAccounts(client(DELEGATED))) listed.push(account);
    expect(listed).toHaveLength(42);
    expect(listed.map((a) => a.id)).not.toContain('500000000003');
    expect(shared.calls.list({ operation: 'ListAccounts' }).length - calls).toBe(3);
  });

  it.each([
    { caller: MEMBER, code: 'AccessDeniedException' },
    { caller: OUTSIDER, code: 'AWSOrganizationsNotInUseException' },
  ])('refuses $caller with $code', async ({ caller, code }) => {
    await expect(client(caller).send(new ListAccountsCommand({}))).rejects.toMatchObject({ name: code });
  });

  it.each([{ MaxResults: 21 }, { MaxResults: 0 }, { NextToken: `${MEMBER}:20` }, { NextToken: 'garbage' }])(
    'refuses %o with InvalidInputException',
    async (input) => {
      await expect(client(HOME.account).send(new ListAccountsCommand(input))).rejects.toMatchObject({
        name: 'InvalidInputException',
      });
    },
  );
});
