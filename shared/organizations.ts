import { type Account, OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { SDK_RETRY } from './clients.js';

/** An account of the organization, as the summary names it. */
export interface OrganizationAccount {
  /** 12 digits. */
  readonly id: string;
  /** The account's friendly name, when Organizations returned one. */
  readonly name?: string;
}

/**
 * ListAccounts takes MaxResults 1 to 20 (API_ListAccounts, "Valid Range: Minimum value of 1. Maximum
 * value of 20"): 200 accounts cost 10 calls.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
 */
export const LIST_ACCOUNTS_PAGE_SIZE = 20;

/**
 * Whether an account is ACTIVE. `State` is the field to read: AWS retired `Status` on
 * 2026-09-09 (the SDK's Account shape: "The Status parameter ... will be retired on September 9,
 * 2026 ... use the State parameter instead"); an older answer carrying only `Status` still counts.
 */
export function isActiveAccount(account: Account): boolean {
  return account.State !== undefined ? account.State === 'ACTIVE' : account.Status === 'ACTIVE';
}

/**
 * Streams the ACTIVE accounts of the organization, page by page (ListAccounts, 20 a page), with
 * `signal` forwarded to every page. Callable only from the management account or a delegated
 * administrator (API_ListAccounts); any other caller gets AWSOrganizationsNotInUseException or
 * AccessDeniedException, which is thrown as the SDK raised it. Accounts that are suspended, closing
 * or closed are skipped: they run no backups, and flagging them as silent would be noise.
 *
 * @example
 * for await (const account of listActiveAccounts(organizationsClient(), { signal })) names.set(account.id, account.name);
 */
export async function* listActiveAccounts(
  client: OrganizationsClient,
  options: { readonly signal?: AbortSignal } = {},
): AsyncGenerator<OrganizationAccount, void, undefined> {
  // Fresh input object: the paginator writes NextToken and MaxResults into it.
  const pages = paginateListAccounts(
    { client, pageSize: LIST_ACCOUNTS_PAGE_SIZE },
    {},
    { abortSignal: options.signal },
  );
  for await (const page of pages) {
    for (const account of page.Accounts ?? []) {
      if (!account.Id || !isActiveAccount(account)) continue;
      yield account.Name ? { id: account.Id, name: account.Name } : { id: account.Id };
    }
  }
}

let organizations: OrganizationsClient | undefined;

/**
 * The Organizations client, created on first use (only an organization-wide summary needs it) and
 * reused. Organizations has one endpoint per partition (us-east-1 for `aws`): the SDK resolves it
 * from the function's own Region, so no Region is set here.
 */
export function organizationsClient(): OrganizationsClient {
  organizations ??= new OrganizationsClient({ ...SDK_RETRY });
  return organizations;
}
