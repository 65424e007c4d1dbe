import { describe, expect, it } from 'vitest';
import { AccountBook, worstFirst } from '../../../functions/post-summary/accounts.js';
import type { BackupJob } from '../../../shared/backup/index.js';
import { aBackupJob, REGION } from './builders.js';
import { anAccountLine } from './report-fixtures.js';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const D = '444444444444';
const E = '555555555555';

const job = (account: string, state: BackupJob['State'] = 'COMPLETED', extra: Parameters<typeof aBackupJob>[0] = {}) =>
  aBackupJob({ AccountId: account, State: state, ...extra });

const resultOf = (book: AccountBook, overrides: Partial<Parameters<AccountBook['result']>[0]> = {}) =>
  book.result({ active: undefined, everyRegionListed: true, silentMisses: new Map(), maxListed: 25, ...overrides });

describe('AccountBook', () => {
  it('counts each account across Regions: jobs, failures (every problem state), completed with issues', () => {
    const book = new AccountBook();
    book.addJob(job(A), REGION);
    book.addJob(job(A, 'COMPLETED', { MessageCategory: 'INVALIDPARAMETERS' }), 'us-east-1');
    for (const state of ['FAILED', 'EXPIRED', 'ABORTED', 'PARTIAL', 'RUNNING'] as const)
      book.addJob(job(A, state), REGION);

    expect(resultOf(book).lines.items).toEqual([
      {
        accountId: A,
        jobs: 7,
        failed: 4,
        silentMisses: 0,
        completedWithIssues: 1,
        completed: 2,
        regions: [REGION, 'us-east-1'].sort(),
      },
    ]);
  });

  it('sorts worst first: failures, then silent misses, then completed with issues, then account id', () => {
    const book = new AccountBook();
    book.addJob(job(E), REGION); // all well
    book.addJob(job(D, 'COMPLETED', { MessageCategory: 'INVALIDPARAMETERS' }), REGION);
    book.addJob(job(C), REGION); // one silent miss
    book.addJob(job(B, 'FAILED'), REGION);
    book.addJob(job(A, 'FAILED'), REGION);
    book.addJob(job(A, 'EXPIRED'), REGION);

    const order = resultOf(book, { silentMisses: new Map([[C, 1]]) }).lines.items.map((l) => l.accountId);

    expect(order).toEqual([A, B, C, D, E]);
  });

  it('caps the lines and counts the rest', () => {
    const book = new AccountBook();
    for (let i = 0; i < 30; i += 1)
      book.addJob(job(String(100000000000 + i), i % 7 === 0 ? 'FAILED' : 'COMPLETED'), REGION);

    const { lines, withJobs } = resultOf(book, { maxListed: 5 });

    expect(withJobs).toBe(30);
    expect(lines.more).toBe(25);
    expect(lines.items.map((l) => l.failed)).toEqual([1, 1, 1, 1, 1]);
  });

  it('flags the ACTIVE accounts with no job, those that went silent first, with their names', () => {
    const book = new AccountBook();
    book.addJob(job(A), REGION);
    book.addPreviousJob(job(A));
    book.addPreviousJob(job(C));
    book.addPreviousJob(job(C));
    book.addPreviousJob(job(D));

    const result = resultOf(book, {
      active: [{ id: A, name: 'prod' }, { id: B, name: 'sandbox' }, { id: C }, { id: D, name: 'logs' }],
    });

    expect(result.active).toBe(4);
    expect(result.withJobs).toBe(1);
    expect(result.lines.items[0]).toMatchObject({ accountId: A, name: 'prod' });
    expect(result.withoutJobs).toEqual({
      items: [
        { accountId: C, previousJobs: 2 },
        { accountId: D, name: 'logs', previousJobs: 1 },
        { accountId: B, name: 'sandbox', previousJobs: 0 },
      ],
      more: 0,
    });
    expect(result.wentSilent).toBe(2);
  });

  it('flags no account when the accounts or some Region could not be listed', () => {
    const book = new AccountBook();
    book.addPreviousJob(job(B));
    const active = [{ id: A }, { id: B }];

    const unlisted = resultOf(book, { active: undefined });
    const regionMissing = resultOf(book, { active, everyRegionListed: false });

    expect(unlisted).toMatchObject({ active: null, withoutJobs: { items: [], more: 0 }, wentSilent: 0 });
    expect(regionMissing).toMatchObject({ active: 2, withoutJobs: { items: [], more: 0 }, wentSilent: 0 });
  });

  it('keeps accounts with jobs that are not ACTIVE members (suspended, left) as lines, never as flags', () => {
    const book = new AccountBook();
    book.addJob(job(E, 'FAILED'), REGION);

    const result = resultOf(book, { active: [{ id: A }] });

    expect(result.lines.items.map((l) => l.accountId)).toEqual([E]);
    expect(result.withoutJobs.items.map((a) => a.accountId)).toEqual([A]);
  });
});

describe('worstFirst', () => {
  it('is a total order: equal figures fall back to the account id', () => {
    expect(worstFirst(anAccountLine(A), anAccountLine(B))).toBeLessThan(0);
    expect(worstFirst(anAccountLine(B), anAccountLine(A, { completedWithIssues: 1 }))).toBeGreaterThan(0);
    expect(worstFirst(anAccountLine(A), anAccountLine(A))).toBe(0);
  });
});
