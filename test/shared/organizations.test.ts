import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { isActiveAccount, LIST_ACCOUNTS_PAGE_SIZE, listActiveAccounts } from '../../shared/organizations.js';

const organizations = mockClient(OrganizationsClient);
afterEach(() => organizations.reset());

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

// Account shape as API_ListAccounts documents it (Response Syntax: Arn, Email, Id, JoinedMethod,
// JoinedTimestamp, Name, State, Status):
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
const anAccount = (id: string, extra: Record<string, unknown> = {}) => ({
  Id: id,
  Arn: `arn:aws:organizations::111122223333:account/o-exampleorgid/${id}`,
  Email: `aws+${id}@example.com`,
  Name: `account-${id}`,
  JoinedMethod: 'CREATED' as const,
  JoinedTimestamp: new Date('2024-01-01T00:00:00Z'),
  State: 'ACTIVE' as const,
  ...extra,
});

describe('listActiveAccounts', () => {
  it('follows NextToken, 20 a page, and keeps the ACTIVE accounts only', async () => {
    // Prepare
    const inputs: unknown[] = [];
    organizations.on(ListAccountsCommand).callsFake((input) => {
      inputs.push({ ...input });
      return pages.shift();
    });
    const pages = [
      {
        Accounts: [anAccount('111111111111'), anAccount('222222222222', { State: 'SUSPENDED' })],
        NextToken: 't1',
      },
      // Organizations "can occasionally return an empty set of results even when there are more".
      { Accounts: [], NextToken: 't2' },
      {
        Accounts: [
          anAccount('333333333333', { State: 'CLOSED' }),
          anAccount('444444444444', { State: 'PENDING_CLOSURE' }),
          anAccount('555555555555', { Name: undefined }),
        ],
      },
    ];

    // Act
    const accounts = await collect(listActiveAccounts(new OrganizationsClient({ region: 'us-east-1' })));

    // Assess
    expect(accounts).toEqual([{ id: '111111111111', name: 'account-111111111111' }, { id: '555555555555' }]);
    expect(organizations).toHaveReceivedCommandTimes(ListAccountsCommand, 3);
    expect(inputs).toEqual([
      { MaxResults: LIST_ACCOUNTS_PAGE_SIZE },
      { MaxResults: 20, NextToken: 't1' },
      { MaxResults: 20, NextToken: 't2' },
    ]);
  });

  it('passes the signal to every page', async () => {
    organizations.on(ListAccountsCommand).resolves({ Accounts: [anAccount('111111111111')] });
    const controller = new AbortController();

    await collect(listActiveAccounts(new OrganizationsClient({ region: 'us-east-1' }), { signal: controller.signal }));

    expect((organizations.commandCalls(ListAccountsCommand)[0]?.args as unknown[] | undefined)?.[1]).toMatchObject({
      abortSignal: controller.signal,
    });
  });

  it('throws what Organizations answered (a member account that is not a delegated administrator)', async () => {
    organizations.on(ListAccountsCommand).rejects(
      Object.assign(new Error('You don’t have permissions to access this resource.'), {
        name: 'AccessDeniedException',
      }),
    );

    await expect(collect(listActiveAccounts(new OrganizationsClient({ region: 'us-east-1' })))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});

describe('isActiveAccount', () => {
  it.each([
    { case: 'State ACTIVE', account: { State: 'ACTIVE' as const }, active: true },
    { case: 'State SUSPENDED', account: { State: 'SUSPENDED' as const }, active: false },
    { case: 'State PENDING_ACTIVATION', account: { State: 'PENDING_ACTIVATION' as const }, active: false },
    { case: 'State wins over Status', account: { State: 'CLOSED' as const, Status: 'ACTIVE' as const }, active: false },
    { case: 'Status only (older answers)', account: { Status: 'ACTIVE' as const }, active: true },
    { case: 'neither', account: {}, active: false },
  ])('$case -> $active', ({ account, active }) => {
    expect(isActiveAccount(account)).toBe(active);
  });
});
