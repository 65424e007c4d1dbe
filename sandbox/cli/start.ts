import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Sandbox } from '../sandbox.js';
import { type Actions, callsPerFunction, collectActions } from '../scenario/actions.js';
import { DAY_END, dayParameters, seedDay } from '../scenario/day.js';
import { ORG, startOrg } from '../scenario/org.js';
import { renderActions } from '../scenario/render-actions.js';
import { outDirProblem, resetOutDir } from './out-dir.js';

/** Where `runStart` writes and reads. */
export interface StartIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

const USAGE = `Usage: npm start -- [--seed N] [--hours H] [--out DIR]
       npm start -- --org

Plays a day of AWS Backup through backup-autopilot on embedded stand-ins (no AWS account, no
Docker): the real bundles of template.yaml, the real SDK, real HTTP. Ends with the summary as a
person receives it by email and what the toolkit did and why; writes every rendering to DIR.

  --seed N    seeds the day (ids, sizes, minutes); the same seed writes the same files (default 1)
  --hours H   plays the last H hours before the 08:00 UTC summary, 1 to 24 (default 24)
  --out DIR   where the renderings go (default ./out): a new or empty directory, or one an
              earlier run wrote (it is emptied first)
  --org       plays central mode instead: a central account and members A, B, C (docs/sandbox.md)
`;

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** `npm start`: seeds a day, plays it through the bundles on a fast clock, prints and writes what people receive. */
export const runStart = async (argv: readonly string[], io: StartIo): Promise<number> => {
  let values: { seed?: string; hours?: string; out?: string; help?: boolean; org?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        seed: { type: 'string' },
        hours: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
        org: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.org) return runOrg(io);
  const seed = values.seed ?? '1';
  const hours = Number(values.hours ?? '24');
  if (!/^\d{1,9}$/.test(seed)) {
    io.stderr.write(`--seed must be a whole number (got "${seed}")\n`);
    return 2;
  }
  if (!Number.isInteger(hours) || hours < 1 || hours > 24) {
    io.stderr.write(`--hours must be a whole number from 1 to 24 (got "${values.hours}")\n`);
    return 2;
  }
  const outDir = resolve(io.cwd ?? process.cwd(), values.out ?? 'out');
  const outProblem = outDirProblem(outDir);
  if (outProblem) {
    io.stderr.write(`${outProblem}\n`);
    return 2;
  }
  const started = performance.now();
  const account = '111122223333';
  const sandbox = await Sandbox.start({
    start: DAY_END - 48 * 3_600_000,
    seed,
    account,
    region: 'us-east-1',
    parameterOverrides: dayParameters(account),
    // Each execution environment costs a cold start (about 0.3 s of CPU): four per function keep
    // bursts concurrent (the storm of ten deliveries still races four at a time) on two cores.
    maxContainers: 4,
  });
  try {
    const day = seedDay(sandbox, { seed, hours });
    io.stderr.write(
      `sandbox: ${day.jobs} backup jobs on ${day.resourceTypes.length} resource types in ${day.vaults.length} vaults (plus ${day.historyJobs} from the day before), seed ${seed}\n`,
    );
    // One progress line, rewritten each sandbox hour on a terminal; a line every 6 hours in a log.
    const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
    let lastHour = -1;
    await sandbox.runUntil(day.end, 60_000, (now) => {
      const hour = Math.floor(now / 3_600_000);
      if (hour === lastHour || (!tty && hour % 6 !== 0)) return;
      lastHour = hour;
      const when = new Date(now).toISOString().slice(0, 16).replace('T', ' ');
      const line = `  ${when} UTC · events ${sandbox.bus.records.length} · invocations ${sandbox.invocations.length} · AWS calls ${sandbox.calls.list().length}`;
      io.stderr.write(tty ? `\r${line}   ` : `${line}\n`);
    });
    if (tty) io.stderr.write('\n');
    const actions = collectActions(sandbox, day.story, day.start, day.end);
    const files = writeOut(sandbox, actions, outDir);
    const email = sandbox.sns
      .published()
      .find((m) => m.attributes.kind?.StringValue === 'summary' && m.attributes.format?.StringValue === 'text');
    io.stdout.write('=== The summary, as a person receives it by email ===\n\n');
    io.stdout.write(
      email
        ? `Subject: ${email.subject}\n\n${email.message}\n\n`
        : 'No summary was published (see the errors below).\n\n',
    );
    io.stdout.write(renderActions(actions, callsPerFunction(sandbox), sandbox.invocations, sandbox.failed));
    io.stdout.write(`\nWrote ${files.length} files to ${outDir}: ${files.join(', ')}\n`);
    io.stderr.write(`Played ${hours} h in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
    return email && sandbox.failed.length === 0 ? 0 : 1;
  } finally {
    await sandbox.close();
  }
};

/** Writes every rendering people receive and the actions to `dir` (emptied first); returns the file names. */
const writeOut = (sandbox: Sandbox, actions: Actions, dir: string): string[] => {
  resetOutDir(dir);
  mkdirSync(join(dir, 'alerts'), { recursive: true });
  const files: Record<string, string> = {};
  const summaries = sandbox.sns.published().filter((m) => m.attributes.kind?.StringValue === 'summary');
  const text = summaries.find((m) => m.attributes.format?.StringValue === 'text');
  const report = summaries.find((m) => m.attributes.format?.StringValue === 'json');
  if (text) files['summary.txt'] = `Subject: ${text.subject}\n\n${text.message}\n`;
  if (report) files['summary.json'] = json(JSON.parse(report.message));
  for (const hook of sandbox.webhooks.received()) {
    const name = hook.path.startsWith('/slack')
      ? 'summary.slack.json'
      : hook.path.startsWith('/teams')
        ? 'summary.teams.json'
        : undefined;
    if (name) files[name] = json(hook.body);
  }
  actions.alerts.forEach((alert, i) => {
    files[`alerts/${String(i + 1).padStart(2, '0')}-${slug(alert.subject.replace('[backup-autopilot]', ''))}.txt`] =
      `Subject: ${alert.subject}\nFrom: ${alert.from}\nAt: ${alert.at}\n\n${alert.body}\n`;
  });
  files['actions.json'] = json(actions);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return Object.keys(files).sort();
};

const ORG_START = Date.parse('2026-11-30T01:00:00Z');

/**
 * `npm start -- --org`: central mode over a central account and members A, B and C
 * (sandbox/scenario/org.ts). Plays two hours, asks for the organization summary, and prints what
 * was done in which account, signed by whom.
 */
const runOrg = async (io: StartIo): Promise<number> => {
  const started = performance.now();
  const { sandbox, seeded } = await startOrg(ORG_START);
  try {
    const names: Record<string, string> = {
      [ORG.central]: 'central',
      [ORG.memberA]: 'member A',
      [ORG.memberB]: 'member B',
      [ORG.memberC]: 'member C',
    };
    io.stderr.write(
      `sandbox: central ${ORG.central}, members A ${ORG.memberA}, B ${ORG.memberB}, C ${ORG.memberC} (${ORG.id}); B's backup fails, A's completes, C has none\n`,
    );
    await sandbox.runUntil(ORG_START + 2 * 3_600_000);
    const summary = await sandbox.invoke('PostSummaryFunction', { windowHours: 6 });
    const out: string[] = ['=== What central mode did, in which account, signed by whom ===', ''];
    for (const grant of sandbox.sts.assumed()) {
      out.push(
        `${new Date(grant.at).toISOString().slice(11, 16)}  ${grant.caller} assumed ${grant.roleArn} (STS ${grant.region})`,
      );
    }
    for (const call of sandbox.calls.list({ service: 'backup' })) {
      if (!call.operation.startsWith('Start')) continue;
      const input = call.input as {
        ResourceArn?: string;
        RecoveryPointArn?: string;
        DestinationBackupVaultArn?: string;
      };
      const what =
        call.operation === 'StartCopyJob'
          ? `${input.RecoveryPointArn} -> ${input.DestinationBackupVaultArn}`
          : String(input.ResourceArn);
      out.push(
        `${new Date(call.at).toISOString().slice(11, 16)}  ${call.operation} in ${names[call.account] ?? call.account} ${call.account} ${call.region}, signed by ${call.caller}: ${what} (HTTP ${call.status})`,
      );
    }
    const b = seeded.failedInB.resourceArn;
    const jobs = sandbox.backup.store.jobs().filter((r) => r.kind === 'backup');
    out.push('', `Member B's volume ${b}:`);
    for (const r of jobs.filter((j) => j.job.ResourceArn === b)) out.push(`  ${r.job.BackupJobId} ${r.job.State}`);
    const email = sandbox.sns
      .published()
      .find((m) => m.attributes.kind?.StringValue === 'summary' && m.attributes.format?.StringValue === 'text');
    out.push('', '=== The organization summary, as a person receives it by email ===', '');
    out.push(email ? `Subject: ${email.subject}\n\n${email.message}` : 'No summary was published.');
    io.stdout.write(`${out.join('\n')}\n`);
    io.stderr.write(`Played 2 h in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
    return summary.outcome.ok && email && sandbox.failed.length === 0 ? 0 : 1;
  } finally {
    await sandbox.close();
  }
};
