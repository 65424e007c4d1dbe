import type { BackupClient } from '@aws-sdk/client-backup';
import { createBackupClient, backupClientFor as ownBackupClientFor } from '../backup/client.js';
import type { FunctionIdentity } from '../function-identity.js';
import { importSideBundle } from '../side-bundle.js';
import type { Deployment } from './deployment.js';
import type { MemberCredentials } from './member-credentials.js';

/**
 * The Backup client of a Region and an account: `account` omitted (or the function's own) is the
 * function's own credentials; another account, in central mode, the member role's.
 */
export type BackupClientFor = (region: string, account?: string) => BackupClient;

function functionNameOf(functionArn: string): string {
  return functionArn.split(':')[6] ?? 'backup-autopilot';
}

/** Clients of other accounts, per (role, account, Region), for the container's life. */
const memberClients = new Map<string, BackupClient>();

/**
 * The `backupClientFor` of {@link BaseDeps}: in account mode the Region's client with the function's
 * own credentials whatever account is asked (the function acts in its own account only; the scope
 * check refuses other accounts' events before any call); in central mode, for any other account, a
 * client per (account, Region) signed with that account's member role, its credentials cached per
 * account (shared/accounts/member-credentials.ts). Clients are reused for the container's life.
 *
 * @param now - the clock the credentials' expiry is compared with (epoch ms)
 */
export function backupClientsFor(
  deployment: Deployment,
  identity: FunctionIdentity,
  now: () => number = Date.now,
): BackupClientFor {
  if (deployment.mode === 'account') return (region) => ownBackupClientFor(region);
  const sessionName = functionNameOf(identity.functionArn);
  // The STS client is a side bundle (central-credentials.mjs beside the handler; this folder's
  // central-credentials.ts from source), loaded on the first member call: the provider is async anyway.
  const credentials = (): Promise<MemberCredentials> =>
    importSideBundle<typeof import('./central-credentials.js')>(import.meta.url, 'central-credentials').then((m) =>
      m.memberCredentialsFor(deployment.memberRoleName, identity.partition, sessionName, now),
    );
  return (region, account) => {
    if (account === undefined || account === identity.accountId) return ownBackupClientFor(region);
    const key = `${deployment.memberRoleName}|${account}|${region}`;
    let client = memberClients.get(key);
    if (!client) {
      client = createBackupClient({
        region,
        credentials: async () => (await credentials()).credentials(account, region),
      });
      memberClients.set(key, client);
    }
    return client;
  };
}
