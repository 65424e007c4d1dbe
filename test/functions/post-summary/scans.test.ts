import { ListBackupJobSummariesCommand, ListScanJobsCommand, type ScanJob } from '@aws-sdk/client-backup';
import { describe, expect, it } from 'vitest';
import { buildSummaryReport } from '../../../functions/post-summary/build-report.js';
import { scanNews, verdictOf } from '../../../functions/post-summary/format.js';
import { renderSlack } from '../../../functions/post-summary/render-slack.js';
import { renderTeams } from '../../../functions/post-summary/render-teams.js';
import { renderText } from '../../../functions/post-summary/render-text.js';
import { ScanAggregate, scanTextLines } from '../../../functions/post-summary/scans.js';
import { fromArray, REGION, SINCE, serve, UNTIL } from './builders.js';
import { aRequest, regionClients, someDeps } from './harness.js';
import { allGreenReport } from './report-fixtures.js';

const ACCOUNT = '111122223333';
let n = 0;
/** A finished scan job as ListScanJobs returns it (the model's required members), `over` on top. */
const aScan = (over: Partial<ScanJob> = {}): ScanJob => {
  n += 1;
  return {
    AccountId: ACCOUNT,
    BackupVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:prod`,
    BackupVaultName: 'prod',
    CreatedBy: {
      BackupPlanArn: 'arn:aws:backup:::backup-plan:p',
      BackupPlanId: 'p',
      BackupPlanVersion: 'v',
      BackupRuleId: 'r',
    },
    CreationDate: new Date(SINCE.getTime() + n * 60_000),
    CompletionDate: new Date(SINCE.getTime() + n * 120_000),
    IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/BackupRole`,
    MalwareScanner: 'GUARDDUTY',
    RecoveryPointArn: `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:rp-${n}`,
    ResourceArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-${String(n).padStart(17, '0')}`,
    ResourceName: `vol-${n}`,
    ResourceType: 'EBS',
    ScanJobId: `scan-${String(n).padStart(3, '0')}`,
    ScanMode: 'FULL_SCAN',
    ScannerRoleArn: `arn:aws:iam::${ACCOUNT}:role/ScannerRole`,
    State: 'COMPLETED',
    ScanResult: { ScanResultStatus: 'NO_THREATS_FOUND' },
    ...over,
  };
};

const mixed = (): ScanJob[] => [
  aScan(),
  aScan(),
  aScan({ State: 'COMPLETED', ScanResult: { ScanResultStatus: 'THREATS_FOUND' } }),
  aScan({ State: 'COMPLETED_WITH_ISSUES', ScanResult: { ScanResultStatus: 'THREATS_FOUND' } }),
  aScan({ State: 'FAILED', ScanResult: undefined, StatusMessage: 'Insufficient privileges to perform this action.' }),
  aScan({ State: 'CANCELED', ScanResult: undefined, StatusMessage: 'Scan job was stopped by user.' }),
];

describe('ScanAggregate', () => {
  it('counts by state and by result, and lists the failed and the scans with threats', () => {
    const scans = new ScanAggregate(10);
    for (const job of mixed()) scans.add(job, REGION);
    const result = scans.result();
    expect(result.total).toBe(6);
    expect(result.byState).toEqual({ CANCELED: 1, COMPLETED: 3, COMPLETED_WITH_ISSUES: 1, FAILED: 1 });
    expect(result.byResult).toEqual({ NO_THREATS_FOUND: 2, THREATS_FOUND: 2 });
    expect(result.failed.items.map((s) => s.state)).toEqual(['FAILED']);
    expect(result.failed.items[0]).toMatchObject({
      vault: 'prod',
      region: REGION,
      statusMessage: 'Insufficient privileges to perform this action.',
      link: expect.stringContaining('#/resources/'),
    });
    // Newest first.
    expect(result.threatsFound.items.map((s) => s.state)).toEqual(['COMPLETED_WITH_ISSUES', 'COMPLETED']);
    expect(scanNews(result)).toBe(3);
  });

  it('caps each list and counts the rest, keeping the newest', () => {
    const scans = new ScanAggregate(2);
    const failed = [1, 2, 3, 4, 5].map(() => aScan({ State: 'FAILED', ScanResult: undefined }));
    for (const job of failed) scans.add(job, REGION);
    const { items, more } = scans.result().failed;
    expect(items.map((s) => s.scanJobId)).toEqual([failed[4]?.ScanJobId, failed[3]?.ScanJobId]);
    expect(more).toBe(3);
  });
});

describe('the summary over scan jobs', () => {
  const run = async (scans: ScanJob[]) => {
    const regions = regionClients([REGION]);
    const { mock } = regions.get(REGION);
    serve(mock, { scan: () => fromArray(scans) });
    mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
    const report = await buildSummaryReport(someDeps(regions.backupClientFor), aRequest());
    return { report, mock };
  };

  it('lists the scans that finished in the window (by completion date: ListScanJobs has no creation filter)', async () => {
    const { report, mock } = await run(mixed());
    expect(mock).toHaveReceivedCommandWith(ListScanJobsCommand, {
      ByCompleteAfter: SINCE,
      ByCompleteBefore: UNTIL,
      ByAccountId: ACCOUNT,
    });
    expect(report.complete).toBe(true);
    expect(report.scans?.total).toBe(6);
    expect(report.scans?.threatsFound.items).toHaveLength(2);
  });

  it('a failing ListScanJobs becomes a MissingPart, not a failed summary', async () => {
    const regions = regionClients([REGION]);
    const { mock } = regions.get(REGION);
    serve(mock, {});
    mock.on(ListScanJobsCommand).rejects(new Error('Rate exceeded'));
    mock.on(ListBackupJobSummariesCommand).resolves({ BackupJobSummaries: [] });
    const report = await buildSummaryReport(someDeps(regions.backupClientFor), aRequest());
    expect(report.complete).toBe(false);
    expect(report.missing).toContainEqual(expect.objectContaining({ what: 'scan jobs', region: REGION }));
  });

  it('a day with a scan that found threats is not all green, and the email says so', () => {
    const scans = new ScanAggregate(10);
    for (const job of mixed()) scans.add(job, REGION);
    const report = allGreenReport({ scans: scans.result() });
    expect(verdictOf(report)).toBe('attention');
    const { body } = renderText(report);
    expect(body).toContain(
      '\nMALWARE SCANS\n6 scans: CANCELED 1, COMPLETED 3, COMPLETED_WITH_ISSUES 1, FAILED 1; results: NO_THREATS_FOUND 2, THREATS_FOUND 2\nFound threats (2)',
    );
    expect(body).toContain('Failed (1): these recovery points were not checked\n- EBS vol-');
    expect(body).toContain('  Insufficient privileges to perform this action.');
  });

  it('Slack and Teams carry the scan totals beside the other totals', () => {
    const scans = new ScanAggregate(10);
    for (const job of mixed()) scans.add(job, REGION);
    const report = allGreenReport({ scans: scans.result() });
    const line = 'results: NO_THREATS_FOUND 2, THREATS_FOUND 2';
    expect(JSON.stringify(renderSlack(report))).toContain(line);
    expect(JSON.stringify(renderTeams(report))).toContain(`"title":"Malware scans","value":"6 scans: CANCELED 1`);
    expect(JSON.stringify(renderSlack(allGreenReport()))).not.toContain('scans');
  });

  it('clean scans alone keep the day green', () => {
    const scans = new ScanAggregate(10);
    scans.add(aScan(), REGION);
    expect(verdictOf(allGreenReport({ scans: scans.result() }))).toBe('all-green');
  });

  it('no scans, no section', () => {
    expect(scanTextLines(undefined, 10)).toEqual([]);
    expect(scanTextLines(new ScanAggregate(10).result(), 10)).toEqual([]);
  });
});
