import { hexFrom, uuidFrom } from '../ids.js';

/** The parts of an ARN the stand-in reads (arn:partition:service:region:account:resource). */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN; undefined when it is not one. */
export const parseArn = (arn: string): ArnParts | undefined => {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  if (!partition || !service) return undefined;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
};

/** `arn:aws:backup:<region>:<account>:backup-vault:<name>` (API_BackupVaultListMember). */
export const vaultArn = (region: string, account: string, name: string): string =>
  `arn:aws:backup:${region}:${account}:backup-vault:${name}`;

/** The vault's account, Region and name from its ARN; undefined when it is not a vault ARN. */
export const parseVaultArn = (arn: string): { account: string; region: string; name: string } | undefined => {
  const p = parseArn(arn);
  if (p?.service !== 'backup' || !p.resource.startsWith('backup-vault:')) return undefined;
  return { account: p.account, region: p.region, name: p.resource.slice('backup-vault:'.length) };
};

/** `arn:aws:backup:<region>:<account>:backup-plan:<id>` (as in the samples' createdBy.backupPlanArn). */
export const planArn = (region: string, account: string, planId: string): string =>
  `arn:aws:backup:${region}:${account}:backup-plan:${planId}`;

/**
 * AWS Backup's resource type name for a resource ARN, for StartBackupJob calls that name only the
 * ARN (names as ListBackupJobs' ByResourceType documents them). Unknown services keep their
 * service name, so a filter on it still works.
 */
export const resourceTypeOf = (arn: string): string => {
  const p = parseArn(arn);
  if (!p) return 'unknown';
  if (p.service === 'ec2') return p.resource.startsWith('volume/') ? 'EBS' : 'EC2';
  if (p.service === 'rds') return p.resource.startsWith('cluster:') ? 'Aurora' : 'RDS';
  const byService: Record<string, string> = {
    dynamodb: 'DynamoDB',
    elasticfilesystem: 'EFS',
    s3: 'S3',
    fsx: 'FSx',
    redshift: 'Redshift',
    storagegateway: 'Storage Gateway',
    timestream: 'Timestream',
    cloudformation: 'CloudFormation',
    eks: 'EKS',
  };
  return byService[p.service] ?? p.service;
};

/** The readable name AWS reports as ResourceName: the last part of the resource id. */
export const resourceNameOf = (arn: string): string => {
  const resource = parseArn(arn)?.resource ?? arn;
  return resource.split(/[/:]/).pop() ?? resource;
};

/**
 * The recovery point ARN a backup of this resource type gets. Resources AWS Backup does not fully
 * manage keep their native form (eventbridge.html samples: `arn:aws:ec2:<region>::snapshot/snap-…`
 * for EBS, `…::image/ami-…` for EC2, `arn:aws:rds:<region>:<account>:snapshot:awsbackup:job-<id>`
 * for RDS); the others are `arn:aws:backup:<region>:<account>:recovery-point:<uuid>`.
 */
export const recoveryPointArnFor = (
  resourceType: string,
  region: string,
  account: string,
  ...seed: readonly string[]
): string => {
  switch (resourceType) {
    case 'EBS':
      return `arn:aws:ec2:${region}::snapshot/snap-${hexFrom(17, 'snap', region, account, ...seed)}`;
    case 'EC2':
      return `arn:aws:ec2:${region}::image/ami-${hexFrom(17, 'ami', region, account, ...seed)}`;
    case 'RDS':
      return `arn:aws:rds:${region}:${account}:snapshot:awsbackup:job-${uuidFrom('rds', region, account, ...seed)}`;
    case 'Aurora':
      return `arn:aws:rds:${region}:${account}:cluster-snapshot:awsbackup:job-${uuidFrom('aurora', region, account, ...seed)}`;
    default:
      return `arn:aws:backup:${region}:${account}:recovery-point:${uuidFrom('rp', region, account, ...seed).toUpperCase()}`;
  }
};
