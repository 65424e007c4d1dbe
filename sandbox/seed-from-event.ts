import { isRecord } from '../shared/objects.js';
import { parseVaultArn } from './backup/arns.js';
import type { FinalState } from './backup/outcomes.js';
import type { BackupStore } from './backup/store.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const date = (value: unknown): Date | undefined => {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms);
};

// AWS quotes some status messages inside the string ("\"An internal error occurred...\""): the
// stand-in stores what DescribeBackupJob would answer, without the quotes.
const unquote = (message: string | undefined): string | undefined =>
  message?.startsWith('"') && message.endsWith('"') ? message.slice(1, -1) : message;

const FINAL: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL']);

/**
 * Makes the Backup stand-in know the job an AWS Backup event is about, so `npm run invoke --sandbox`
 * with one of AWS's sample events finds what DescribeBackupJob / DescribeCopyJob would return in the
 * account that sent it: the vault, the resource, the job in the event's state with its message, and
 * for a copy the source recovery point. Events of other kinds (a schedule's input) seed nothing.
 *
 * @returns what was seeded, for the invocation report.
 */
export const seedFromEvent = (store: BackupStore, event: unknown): string[] => {
  if (!isRecord(event) || event.source !== 'aws.backup' || !isRecord(event.detail)) return [];
  const account = text(event.account) ?? '';
  const region = text(event.region) ?? '';
  const detail = event.detail;
  const state = text(detail.state) ?? text(detail.status) ?? '';
  const created = date(detail.creationDate) ?? date(event.time) ?? new Date(0);
  const seeded: string[] = [];
  const vaultNamed = (arn: unknown, name: unknown): string | undefined => {
    const vaultName = text(name) ?? parseVaultArn(text(arn) ?? '')?.name;
    const where = parseVaultArn(text(arn) ?? '');
    if (vaultName && !store.vault(where?.account ?? account, where?.region ?? region, vaultName)) {
      store.addVault({
        account: where?.account ?? account,
        region: where?.region ?? region,
        name: vaultName,
        creationDate: created,
      });
      seeded.push(`vault ${vaultName}`);
    }
    return vaultName;
  };
  const resourceArn = text(detail.resourceArn);
  if (resourceArn && !store.resource(account, region, resourceArn)) {
    store.addResource({
      account,
      region,
      arn: resourceArn,
      ...(text(detail.resourceType) ? { resourceType: text(detail.resourceType) as string } : {}),
    });
    seeded.push(`resource ${resourceArn}`);
  }
  const outcome = FINAL.has(state)
    ? {
        state: state as FinalState,
        ...(unquote(text(detail.statusMessage))
          ? { statusMessage: unquote(text(detail.statusMessage)) as string }
          : {}),
      }
    : undefined;
  if (event['detail-type'] === 'Backup Job State Change' && text(detail.backupJobId) && resourceArn) {
    const vaultName = vaultNamed(detail.backupVaultArn, detail.backupVaultName);
    store.createBackupJob({
      id: text(detail.backupJobId) as string,
      account,
      region,
      resourceArn,
      ...(vaultName ? { vaultName } : {}),
      ...(text(detail.iamRoleArn) ? { iamRoleArn: text(detail.iamRoleArn) as string } : {}),
      creationDate: created,
      ...(outcome ? { outcome } : {}),
    });
    seeded.push(`backup job ${detail.backupJobId} (${state})`);
  }
  if (event['detail-type'] === 'Copy Job State Change' && text(detail.copyJobId) && resourceArn) {
    const sourceVault = vaultNamed(detail.sourceBackupVaultArn, undefined);
    vaultNamed(detail.destinationBackupVaultArn, undefined);
    const source = (Array.isArray(event.resources) ? text(event.resources[0]) : undefined) ?? '';
    if (sourceVault && source && !store.recoveryPoint(account, region, source)) {
      store.addRecoveryPoint({
        account,
        region,
        vaultName: sourceVault,
        resourceArn,
        recoveryPointArn: source,
        creationDate: created,
      });
      seeded.push(`recovery point ${source}`);
    }
    store.createCopyJob({
      id: text(detail.copyJobId) as string,
      account,
      region,
      sourceRecoveryPointArn: source,
      destinationVaultArn: text(detail.destinationBackupVaultArn) ?? '',
      ...(text(detail.iamRoleArn) ? { iamRoleArn: text(detail.iamRoleArn) as string } : {}),
      creationDate: created,
      ...(outcome ? { outcome } : {}),
    });
    seeded.push(`copy job ${detail.copyJobId} (${state})`);
  }
  return seeded;
};
