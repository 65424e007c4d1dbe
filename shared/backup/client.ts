import { BackupClient, type BackupClientConfig } from '@aws-sdk/client-backup';
import { SDK_RETRY } from '../clients.js';

/**
 * Builds a Backup client with the toolkit's retry settings: the SDK's standard strategy
 * (exponential backoff with jitter; throttling, LimitExceeded and 5xx retried) with more attempts
 * than the default 3, because every plan in an account starts at the same minute and Backup's
 * List and Start calls throttle then.
 */
export function createBackupClient(config: BackupClientConfig = {}): BackupClient {
  return new BackupClient({ ...SDK_RETRY, ...config });
}

const byRegion = new Map<string, BackupClient>();

/**
 * One Backup client per Region, created on first use and reused for the container's life
 * (connection reuse matters: a copy route's second hop runs in another Region).
 *
 * @param region - the Region to call; omitted = the function's own Region (`AWS_REGION`).
 */
export function backupClientFor(region?: string): BackupClient {
  const key = region ?? process.env.AWS_REGION ?? '';
  let client = byRegion.get(key);
  if (!client) {
    client = createBackupClient(region ? { region } : {});
    byRegion.set(key, client);
  }
  return client;
}
