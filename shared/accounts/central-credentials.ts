import { STSClient } from '@aws-sdk/client-sts';
import { SDK_RETRY } from '../clients.js';
import { MemberCredentials } from './member-credentials.js';

/**
 * The STS side of central mode, a side bundle of every function (shared/side-bundle.ts; each
 * function's central-credentials.ts re-exports this module and is listed in its EntryPoints),
 * loaded by backup-clients.ts on the first call into a member account: a stack in account mode
 * never loads the STS client. It hands back MemberCredentials, whose methods return plain
 * credentials; its MemberRoleError is told by name, not by `instanceof`.
 */

const stsByRegion = new Map<string, STSClient>();

/** One STS client per Region: AssumeRole goes to the regional endpoint (the SDK's default for STS in v3). */
function stsFor(region: string): STSClient {
  let client = stsByRegion.get(region);
  if (!client) {
    client = new STSClient({ ...SDK_RETRY, region });
    stsByRegion.set(region, client);
  }
  return client;
}

const byKey = new Map<string, MemberCredentials>();

/** The container's member credentials for one role name, partition and session name (made once). */
export function memberCredentialsFor(
  roleName: string,
  partition: string,
  sessionName: string,
  now: () => number,
): MemberCredentials {
  const key = `${roleName}|${partition}|${sessionName}`;
  let credentials = byKey.get(key);
  if (!credentials) {
    credentials = new MemberCredentials({ roleName, partition, sessionName, stsFor, now });
    byKey.set(key, credentials);
  }
  return credentials;
}
