import type { DeploymentMode } from '../accounts/deployment.js';
import type { FunctionIdentity } from '../function-identity.js';
import type { BackupEvent, ScanJobStateChange } from './types.js';

/** Why an event is not this function's to act on. */
export interface OutOfScope {
  readonly reason: 'foreign-account' | 'foreign-partition' | 'vault-of-another-account';
  readonly detail: string;
}

/** Every ARN an event names (envelope `resources` and the detail's ARN members). */
function arnsOf(event: BackupEvent | ScanJobStateChange): string[] {
  const arns = [...event.resources];
  for (const value of Object.values(event)) if (typeof value === 'string' && value.startsWith('arn:')) arns.push(value);
  return arns.filter((a) => a.startsWith('arn:'));
}

function partitionOf(arn: string): string {
  return arn.split(':', 3)[1] ?? '';
}
function accountOfArn(arn: string): string {
  return arn.split(':', 6)[4] ?? '';
}

/**
 * Whether an event is outside what this function acts on, and why: only events of the function's
 * own account (or of an account the configuration names, `accounts`) and of its partition act.
 * EventBridge delivers another account's events to this bus when a rule or a bus policy lets it,
 * and an ARN of another partition can only come from a forged or broken event: acting on either
 * would start jobs nobody here asked for. The vault an event names must also be in the event's
 * account (AWS Backup emits a job's events in the account that holds its vault, aws-facts.md), and
 * so must the account a scan event names as the scan's (`detail.accountId`).
 *
 * In central mode every account's event is in scope: events reach the central bus only from the
 * organization's accounts (its policy admits `aws:PrincipalOrgID` only, template.yaml), and the
 * function acts in the event's account with that account's member role, which exists only where
 * the member template was deployed. The partition, vault and scan-account checks hold in both modes.
 *
 * @param mode - DEPLOYMENT_MODE (default `account`)
 * @returns undefined when the event is in scope
 */
export function outOfScope(
  event: BackupEvent | ScanJobStateChange,
  identity: Pick<FunctionIdentity, 'accountId' | 'partition'>,
  accounts: readonly string[] = [],
  mode: DeploymentMode = 'account',
): OutOfScope | undefined {
  if (mode === 'account' && event.account !== identity.accountId && !accounts.includes(event.account)) {
    return {
      reason: 'foreign-account',
      detail: `event of account ${event.account}; this function acts for ${[identity.accountId, ...accounts].join(', ')}`,
    };
  }
  for (const arn of arnsOf(event)) {
    if (partitionOf(arn) !== identity.partition) {
      return { reason: 'foreign-partition', detail: `${arn} is not in partition ${identity.partition}` };
    }
  }
  // A scan's detail.accountId names the account its job is described in (retry-failed-job/scan.ts):
  // it must be the event's own, or an event of one account would act with another's credentials.
  if (event.kind === 'scan-job' && event.accountId !== undefined && event.accountId !== event.account) {
    return {
      reason: 'foreign-account',
      detail: `scan of account ${event.accountId} in an event of account ${event.account}`,
    };
  }
  const vault =
    event.kind === 'backup-job' || event.kind === 'scan-job'
      ? event.backupVaultArn
      : event.kind === 'copy-job'
        ? event.sourceBackupVaultArn
        : undefined;
  if (vault !== undefined && accountOfArn(vault) !== event.account) {
    return {
      reason: 'vault-of-another-account',
      detail: `vault ${vault} is not in the event's account ${event.account}`,
    };
  }
  return undefined;
}
