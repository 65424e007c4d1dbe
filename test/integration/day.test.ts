import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStart } from '../../sandbox/cli/start.js';

/** Runs `npm start` in this process (the sandbox CLI's entry), capturing what it prints. */
const start = async (args: string[]) => {
  const chunks = { stdout: '', stderr: '' };
  const sink = (key: keyof typeof chunks) =>
    new Writable({
      write(chunk, _encoding, done) {
        chunks[key] += String(chunk);
        done();
      },
    });
  const code = await runStart(args, { stdout: sink('stdout'), stderr: sink('stderr'), env: process.env });
  return { code, ...chunks };
};

const filesOf = (dir: string, prefix = ''): Record<string, string> =>
  Object.fromEntries(
    readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? Object.entries(filesOf(dir, join(prefix, entry.name)))
        : [[join(prefix, entry.name), readFileSync(join(dir, prefix, entry.name), 'utf8')]],
    ),
  );

const scratch = mkdtempSync(join(tmpdir(), 'day-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let run: Awaited<ReturnType<typeof start>>;
let out: Record<string, string>;
beforeAll(async () => {
  // The default seed: the README's sample and docs/examples/ come from this very run.
  run = await start(['--out', join(scratch, 'day')]);
  out = filesOf(join(scratch, 'day'));
}, 120_000);

describe('npm start: a seeded day through the bundles, as people receive it', () => {
  it('plays hundreds of jobs of six or more resource types in three vaults and exits 0', () => {
    expect(run.code).toBe(0);
    const report = JSON.parse(out['summary.json'] as string);
    expect(report.backup.total).toBeGreaterThan(150);
    expect(Object.keys(report.backup.byResourceType).length).toBeGreaterThanOrEqual(6);
    expect(Object.keys(report.backup.byVault)).toEqual(['dev', 'finance', 'prod']);
  });

  it('prints the summary email, then what the toolkit did and why', () => {
    expect(run.stdout).toMatch(/^=== The summary, as a person receives it by email ===\n\nSubject: Backups 2026-12-01/);
    expect(run.stdout).toContain('=== What backup-autopilot did, and why ===');
    expect(run.stdout).toMatch(/AWS calls per function \(SDK retries included\):\n {2}PostSummaryFunction \(\d+\)/);
  });

  it('reports the backup that silently never ran, and the failures with cause and remedy', () => {
    const text = out['summary.txt'] as string;
    expect(text).toMatch(
      /BACKUPS THAT NEVER RAN \(1\)\nBacked up in the previous window, no job at all in this one:\n- RDS db:legacy-reports/,
    );
    expect(text).toContain('access-denied: 1 (backup)');
    expect(text).toContain('vault-access-policy: 1 (copy)');
    expect(text).toContain(
      '\nMALWARE SCANS\n6 scans: COMPLETED 5, FAILED 1; results: NO_THREATS_FOUND 4, THREATS_FOUND 1\n',
    );
    // Issue 20: a failed restore test, a failed scan, a scan with findings and a plan rule that
    // created no job, each in the summary (and, below, in the alerts).
    expect(text).toContain('restore-role-denied: 1 (restore)');
    expect(text).toMatch(/\n2 restores: 1 failed, 1 completed, /);
    expect(text).toMatch(/\nFound threats \(1\): .*\n- EBS vol-\w+, vault prod, /);
    expect(text).toMatch(
      /\nPLAN RULES THAT CREATED NO JOB \(2\)\n- plan `analytics-nightly`, rule `nightly`: due 01:00 UTC, no job created/,
    );
  });

  it('retries, skips and alerts as the decision table says', () => {
    const actions = JSON.parse(out['actions.json'] as string);
    const story = Object.fromEntries(actions.story.map((s: { id: string; happened: string[] }) => [s.id, s.happened]));
    expect(story.retried).toEqual(expect.arrayContaining(['1 retry schedule(s) created', '1 retry start(s)']));
    expect(story['not-retryable']).toContain('skipped: not-retryable');
    expect(story['lost-event']).toEqual(expect.arrayContaining(['1 event(s) lost on the way', '1 retry start(s)']));
    expect(story.storm).toEqual(
      expect.arrayContaining(['a FAILED event delivered 10 times', '1 retry schedule(s) created', '1 retry start(s)']),
    );
    expect(story.exhausted).toEqual(expect.arrayContaining(['3 retry start(s)', 'skipped: attempts-exhausted']));
    expect(story['plan-runs-soon']).toContain('skipped: plan-runs-soon');
    // Waited (once an hour) while the long backup ran, then retried: never dropped.
    expect(story.expired).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a job ran for it: looked again \d+ time\(s\)$/),
        '1 retry start(s)',
      ]),
    );
    expect(story['two-hops']).toEqual(
      expect.arrayContaining([
        'copy hop 1 of 2 started in us-east-1 into staging',
        'copy hop 2 of 2 started in us-west-2 into dr-eu',
      ]),
    );
    expect(story['scan-threats']).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^alert: \[backup-autopilot\] \d+ vol-\w+: malware scan THREATS_FOUND$/),
      ]),
    );
    expect(story['scan-failed']).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^alert: \[backup-autopilot\] \d+ vol-\w+: malware scan FAILED \(access-denied\)$/),
      ]),
    );
    expect(actions.alerts.map((a: { category: string }) => a.category).sort()).toEqual([
      'access-denied',
      'access-denied',
      'internal-error',
      'restore-role-denied',
      'threats-found',
      'vault-access-policy',
    ]);
    expect(actions.alerts.map((a: { subject: string }) => a.subject)).toEqual(
      expect.arrayContaining([expect.stringMatching(/: restore test FAILED \(restore-role-denied\)$/)]),
    );
    for (const alert of actions.alerts) expect(alert.body).toMatch(/\n(Cause: .+\n)?What to do: .+/);
    expect(Object.keys(out).filter((name) => name.startsWith('alerts/'))).toHaveLength(6);
  });

  it('writes the Slack and Teams payloads the webhooks received', () => {
    const slack = JSON.parse(out['summary.slack.json'] as string);
    expect(slack.text).toMatch(/^Needs attention: \d+ jobs failed, .+ \(account 111122223333, us-east-1\)$/);
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    const teams = JSON.parse(out['summary.teams.json'] as string);
    expect(teams.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
  });
});

describe('the docs show what the code does', () => {
  const root = join(import.meta.dirname, '../..');

  it("every line of the README's npm start sample is in a real run's output", async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /<!-- npm-start-sample:begin -->\n```\n([\s\S]*?)\n```\n<!-- npm-start-sample:end -->/.exec(
      readme,
    )?.[1];
    expect(block, 'README.md has the npm-start-sample block').toBeDefined();
    const printed = new Set(run.stdout.split('\n'));
    const missing = (block as string).split('\n').filter((line) => line.trim() !== '...' && !printed.has(line));
    expect(missing).toEqual([]);
  });

  it('docs/examples/ is what npm start writes (regenerate: npm start -- --out docs/examples)', () => {
    expect(filesOf(join(root, 'docs', 'examples'))).toEqual(out);
  });
});

describe('npm start is deterministic', () => {
  it('the same seed writes the same files, byte for byte; another seed does not', async () => {
    // The last 4 hours hold the storm, the lost event, the retries and the summary.
    const a = await start(['--seed', '3', '--hours', '4', '--out', join(scratch, 'a')]);
    const b = await start(['--seed', '3', '--hours', '4', '--out', join(scratch, 'b')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(filesOf(join(scratch, 'b'))).toEqual(filesOf(join(scratch, 'a')));
    // Another seed is another day (ids and minutes differ): the comparison above can fail.
    expect(filesOf(join(scratch, 'a'))['actions.json']).not.toEqual(filesOf(join(scratch, 'day'))['actions.json']);
  }, 120_000);

  it('refuses bad arguments with the value named', async () => {
    expect(await start(['--hours', '25'])).toMatchObject({
      code: 2,
      stderr: '--hours must be a whole number from 1 to 24 (got "25")\n',
    });
    expect(await start(['--seed', 'x'])).toMatchObject({
      code: 2,
      stderr: '--seed must be a whole number (got "x")\n',
    });
  });
});
