/**
 * The AWS Organizations stand-in: `ListAccounts` (API_ListAccounts) over AWS JSON 1.1
 * (`X-Amz-Target: AWSOrganizationsV20161128.ListAccounts`, the model's targetPrefix), for the
 * organization-wide summary. https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
 */
import { jsonProtocol } from '../http/json-protocol.js';
import {
  type CallContext,
  type RunningStandIn,
  type SandboxServices,
  ServiceError,
  startStandIn,
} from '../http/stand-in.js';

/** An account's lifecycle state (Organizations `AccountState`). */
export type AccountState = 'PENDING_ACTIVATION' | 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';

/** An account of the sandbox's organization. */
export interface OrganizationMember {
  /** 12 digits. */
  readonly id: string;
  readonly name?: string;
  /** Default ACTIVE. */
  readonly state?: AccountState;
}

/** The organization the stand-in answers for. */
export interface SandboxOrganization {
  /** The management account: ListAccounts works from it (and from `delegatedAdministrators`) only. */
  readonly managementAccount: string;
  /** Every account, the management account included, in the order ListAccounts returns them. */
  readonly accounts: readonly OrganizationMember[];
  readonly delegatedAdministrators?: readonly string[];
}

// API_ListAccounts: MaxResults "Valid Range: Minimum value of 1. Maximum value of 20."
const MAX_RESULTS = 20;
const ORGANIZATION_ID = 'o-sandbox0001';
// The joining time of every account (JSON timestamps are epoch seconds).
const JOINED = Date.parse('2024-01-15T09:00:00Z') / 1000;

/**
 * Starts the stand-in. Error messages are the Organizations model's documentation of each error. A caller from an account outside the organization gets
 * AWSOrganizationsNotInUseException; a member that is neither the management account nor a delegated
 * administrator gets AccessDeniedException ("This operation can be called only from the
 * organization's management account or by a member account that is a delegated administrator").
 * Pages hold MaxResults accounts (default 20); NextToken is opaque and bound to the caller.
 */
export const startOrganizations = async (
  shared: SandboxServices,
  organization: SandboxOrganization,
): Promise<RunningStandIn> => {
  const members = new Set(organization.accounts.map((a) => a.id));
  const allowed = new Set([organization.managementAccount, ...(organization.delegatedAdministrators ?? [])]);

  const listAccounts = (input: { MaxResults?: unknown; NextToken?: unknown }, ctx: CallContext) => {
    const caller = ctx.principal.account;
    if (!members.has(caller)) {
      throw new ServiceError(
        'AWSOrganizationsNotInUseException',
        "Your account isn't a member of an organization. To make this request, you must use the credentials of an account that belongs to an organization.",
        400,
      );
    }
    if (!allowed.has(caller)) {
      throw new ServiceError(
        'AccessDeniedException',
        "You don't have permissions to perform the requested operation. The user or role that is making the request must have at least one IAM permissions policy attached that grants the required permissions.",
        400,
      );
    }
    const max = input.MaxResults ?? MAX_RESULTS;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_RESULTS) {
      throw new ServiceError(
        'InvalidInputException',
        `The requested operation failed because you provided invalid values for one or more of the request parameters. (MaxResults: from 1 to ${MAX_RESULTS})`,
        400,
      );
    }
    let start = 0;
    if (input.NextToken !== undefined) {
      const [owner, offset] = typeof input.NextToken === 'string' ? input.NextToken.split(':') : [];
      start = Number(offset);
      if (owner !== caller || !Number.isInteger(start) || start < 0 || start > organization.accounts.length) {
        throw new ServiceError(
          'InvalidInputException',
          'The requested operation failed because you provided invalid values for one or more of the request parameters. (NextToken)',
          400,
        );
      }
    }
    const end = Math.min(organization.accounts.length, start + max);
    const Accounts = organization.accounts.slice(start, end).map((a) => ({
      Id: a.id,
      Arn: `arn:aws:organizations::${organization.managementAccount}:account/${ORGANIZATION_ID}/${a.id}`,
      Email: `aws+${a.id}@example.com`,
      ...(a.name !== undefined ? { Name: a.name } : {}),
      State: a.state ?? 'ACTIVE',
      JoinedMethod: a.id === organization.managementAccount ? 'CREATED' : 'INVITED',
      JoinedTimestamp: JOINED,
    }));
    return end < organization.accounts.length ? { Accounts, NextToken: `${caller}:${end}` } : { Accounts };
  };

  return startStandIn({
    service: 'organizations',
    protocol: jsonProtocol({ version: '1.1', targetPrefix: 'AWSOrganizationsV20161128', operations: ['ListAccounts'] }),
    operations: { ListAccounts: listAccounts as (input: never, ctx: CallContext) => unknown },
    shared,
  });
};
