/**
 * Links into the AWS console for a person reading an alert or a summary. Built from ids only; the
 * console routes by Region in the host and the fragment.
 */

function host(region: string): string {
  return region.startsWith('cn-')
    ? `https://${region}.console.amazonaws.cn`
    : `https://${region}.console.aws.amazon.com`;
}

/** The AWS Backup console page of a backup job. */
export function backupJobLink(region: string, backupJobId: string): string {
  return `${host(region)}/backup/home?region=${region}#/jobs/backup/details/${encodeURIComponent(backupJobId)}`;
}

/** The AWS Backup console page of a copy job. */
export function copyJobLink(region: string, copyJobId: string): string {
  return `${host(region)}/backup/home?region=${region}#/jobs/copy/details/${encodeURIComponent(copyJobId)}`;
}

/** The AWS Backup console page of a restore job. */
export function restoreJobLink(region: string, restoreJobId: string): string {
  return `${host(region)}/backup/home?region=${region}#/jobs/restore/details/${encodeURIComponent(restoreJobId)}`;
}

/** The AWS Backup console page of a protected resource (its recovery points and jobs). */
export function protectedResourceLink(region: string, resourceArn: string): string {
  return `${host(region)}/backup/home?region=${region}#/resources/${encodeURIComponent(resourceArn)}`;
}
