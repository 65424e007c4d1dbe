import type { BackupClient } from '@aws-sdk/client-backup';
import { STSClient } from '@aws-sdk/client-sts';
import { createBackupClient, backupClientFor as ownBackupClientFor } from '../backup/client.js';
import { SDK_RETRY } from '../clients.js';
import type { FunctionIdentity } from '../function-identity.js';
import type { Deployment } from './deployment.js';
import { MemberCredentials } from './member-credentials.js';

/**
 * The Backup client of a Region and an account: `account` omitted (or the function's own) is the
 * function's own credentials; another account, in central mode, the member role's.
 */
export type BackupClientFor = (region: string, account?: string) => BackupClient;

/** What a central deployment's clients share for the container's life. */
interface Central {
  readonly credentials: MemberCredentials;
  readonly clients: Map<string, BackupClient>;
}

const stsByRegion = new Map<string, STSClient>();

/** One STS client per Region: AssumeRole goes to the regional endpoint (the SDK's default for STS in v3). */
const stsFor = (region: string): STSClient => {
  let client = stsByRegion.get(region);
  if (!client) {
    client = new STSClient({ ...SDK_RETRY, region });
    stsByRegion.set(region, client);
  }
  return client;
};

let central: { key: string; value: Central } | undefined;

const functionNameOf = (functionArn: string): string => functionArn.split(':')[6] ?? 'backup-autopilot';

/** The container's central clients (made once: identity and settings do not change within a container). */
const centralFor = (deployment: Deployment, identity: FunctionIdentity, now: () => number): Central => {
  const key = `${identity.functionArn}|${deployment.memberRoleName}`;
  if (central?.key !== key) {
    central = {
      key,
      value: {
        credentials: new MemberCredentials({
          roleName: deployment.memberRoleName,
          partition: identity.partition,
          sessionName: functionNameOf(identity.functionArn),
          stsFor,
          now,
        }),
        clients: new Map(),
      },
    };
  }
  return central.value;
};

/**
 * The `backupClientFor` of {@link BaseDeps}: in account mode the Region's client with the function's
 * own credentials whatever account is asked (the function acts in its own account only; the scope
 * check refuses other accounts' events before any call); in central mode, for any other account, a
 * client per (account, Region) signed with that account's member role, its credentials cached per
 * account (shared/accounts/member-credentials.ts). Clients are reused for the container's life.
 *
 * @param now - the clock the credentials' expiry is compared with (epoch ms)
 */
export const backupClientsFor = (
  deployment: Deployment,
  identity: FunctionIdentity,
  now: () => number = Date.now,
): BackupClientFor => {
  if (deployment.mode === 'account') return (region) => ownBackupClientFor(region);
  const { credentials, clients } = centralFor(deployment, identity, now);
  return (region, account) => {
    if (account === undefined || account === identity.accountId) return ownBackupClientFor(region);
    const key = `${account}|${region}`;
    let client = clients.get(key);
    if (!client) {
      client = createBackupClient({ region, credentials: credentials.provider(account, region) });
      clients.set(key, client);
    }
    return client;
  };
};

/** The central clients' credentials, for the logs and tests: how many AssumeRole calls were made. */
export const memberCredentialsInUse = (): MemberCredentials | undefined => central?.value.credentials;
