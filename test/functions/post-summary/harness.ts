import { BackupClient } from '@aws-sdk/client-backup';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import type { SummaryDeps, SummaryRequest } from '../../../functions/post-summary/build-report.js';
import { ACCOUNT, NOW, REGION, SINCE, UNTIL } from './builders.js';

/** One mocked Backup client per Region (aws-sdk-client-mock on the real class, as the paginators require). */
export const regionClients = (regions: readonly string[]) => {
  const clients = new Map<string, { client: BackupClient; mock: AwsClientStub<BackupClient> }>();
  for (const region of regions) {
    const client = new BackupClient({ region });
    clients.set(region, { client, mock: mockClient(client) });
  }
  const get = (region: string) => {
    const entry = clients.get(region);
    if (!entry) throw new Error(`no client for ${region}`);
    return entry;
  };
  return { get, backupClientFor: (region: string) => get(region).client };
};

export const aLogger = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });

export const someDeps = (backupClientFor: (region: string) => BackupClient, extra: Partial<SummaryDeps> = {}) =>
  ({ backupClientFor, now: () => NOW, logger: aLogger(), ...extra }) satisfies SummaryDeps;

export const aRequest = (overrides: Partial<SummaryRequest> = {}): SummaryRequest => ({
  since: SINCE,
  until: UNTIL,
  regions: [REGION],
  scope: 'account',
  accountId: ACCOUNT,
  ...overrides,
});
