import { accountSections } from './accounts-format.js';
import {
  andMore,
  comparisonLine,
  coverageLine,
  createdByLabel,
  formatTime,
  headline,
  oneLine,
  resourceLabel,
  scopeLabel,
  shown,
  subjectOf,
  toolkitLine,
  totalsLines,
  trendLine,
  verdictOf,
  windowLabel,
} from './format.js';
import { neverRanSection } from './never-ran-section.js';
import type { SummaryReport } from './report.js';
import { scanTextLines } from './scans.js';

/** Options every renderer takes. */
export interface RenderOptions {
  /** Items shown per list; the rest are counted ("and N more"). Default 10. */
  readonly maxItems?: number;
}

/** The SNS email: a one-line subject and a plain-text body. */
export interface TextSummary {
  readonly subject: string;
  readonly body: string;
}

export const DEFAULT_MAX_ITEMS = 10;

/**
 * A rendering that fits its channel: rendered with `maxItems` (default {@link DEFAULT_MAX_ITEMS})
 * items a list, then with half as many, down to one, while it does not `fit`. Each list counts what
 * it leaves out ("and N more"), so a shorter rendering still says how much there was.
 */
export function shrinkToFit<T>(
  maxItems: number | undefined,
  render: (max: number) => T,
  fits: (rendered: T) => boolean,
): T {
  let max = maxItems ?? DEFAULT_MAX_ITEMS;
  let rendered = render(max);
  while (max > 1 && !fits(rendered)) {
    max = Math.floor(max / 2);
    rendered = render(max);
  }
  return rendered;
}

/**
 * Renders the plain-text summary for SNS email: short lines a phone shows without scrolling
 * sideways, worst news first; an all-green day is one line.
 */
export function renderText(report: SummaryReport, options: RenderOptions = {}): TextSummary {
  const max = options.maxItems ?? DEFAULT_MAX_ITEMS;
  const subject = subjectOf(report);
  if (verdictOf(report) === 'all-green') {
    return { subject, body: `${headline(report)} (${scopeLabel(report)}).` };
  }
  const out: string[] = [headline(report), `${windowLabel(report)} · ${scopeLabel(report)}`];
  const section = (title: string, lines: readonly string[]): void => {
    if (lines.length > 0) out.push('', title, ...lines);
  };

  const missing = shown({ items: report.missing, more: 0 }, max);
  section('MISSING FROM THIS SUMMARY', [
    ...missing.items.map((m) => `- ${m.what} in ${m.region}: ${oneLine(m.error)}`),
    ...(missing.more > 0 ? [`- ${andMore(missing.more)}`] : []),
  ]);

  section(
    'WHAT FAILED AND WHAT TO DO',
    report.failureReasons
      .slice(0, max)
      .flatMap((reason, i) => [
        `${i + 1}. ${reason.category}: ${reason.count} (${reason.kinds.join(', ')})${reason.retryable ? ', retryable' : ''}`,
        `   Cause: ${reason.cause}`,
        `   Fix: ${oneLine(reason.remedy, 400)}`,
        ...(reason.example ? [`   AWS said: ${oneLine(reason.example)}`] : []),
      ]),
  );
  if (report.failureReasons.length > max) out.push(`- ${andMore(report.failureReasons.length - max)} reasons`);

  const problems = shown(report.problemJobs, max);
  section(
    `FAILED JOBS (${report.problemJobs.items.length + report.problemJobs.more})`,
    problems.items.length === 0
      ? []
      : [
          ...problems.items.flatMap((job) => [
            `- ${job.state} ${job.kind}: ${[
              resourceLabel(job.resourceType, job.resourceArn),
              job.vault && `vault ${job.vault}`,
              createdByLabel(job),
              job.region,
              job.accountId !== report.scope.accountId && `account ${job.accountId}`,
              job.createdAt && formatTime(job.createdAt),
            ]
              .filter(Boolean)
              .join(', ')}`,
            ...(job.statusMessage ? [`  ${oneLine(job.statusMessage)}`] : []),
            `  ${job.link}`,
          ]),
          ...(problems.more > 0 ? [`- ${andMore(problems.more)}`] : []),
        ],
  );

  const misses = shown(report.silentMisses, max);
  section(
    `BACKUPS THAT NEVER RAN (${misses.items.length + misses.more})`,
    misses.items.length === 0
      ? []
      : [
          'Backed up in the previous window, no job at all in this one:',
          ...misses.items.flatMap((miss) => [
            `- ${[resourceLabel(miss.resourceType, miss.resourceArn), miss.region, miss.vault && `vault ${miss.vault}`]
              .filter(Boolean)
              .join(', ')}: last backup ${formatTime(miss.lastBackupAt)}`,
            `  ${miss.link}`,
          ]),
          ...(misses.more > 0 ? [`- ${andMore(misses.more)}`] : []),
        ],
  );

  for (const part of accountSections(report, max)) {
    section(part.title.toUpperCase(), [
      ...part.items.map((item) => `- ${item}`),
      ...(part.more > 0 ? [`- ${andMore(part.more)}`] : []),
    ]);
  }

  const neverRan = neverRanSection(report, max);
  if (neverRan) {
    section(neverRan.title.toUpperCase(), [
      ...neverRan.items,
      ...(neverRan.more > 0 ? [`- ${andMore(neverRan.more)}`] : []),
      ...neverRan.notes,
    ]);
  }

  const uncopied = shown(report.copyCoverage.uncopied, max);
  const coverage = coverageLine(report);
  if (coverage) {
    section('COPIES', [
      coverage,
      ...uncopied.items.map(
        (rp) =>
          `- not copied: ${[
            resourceLabel(rp.resourceType, rp.resourceArn ?? rp.recoveryPointArn),
            rp.region,
            rp.vault && `vault ${rp.vault}`,
          ]
            .filter(Boolean)
            .join(', ')}`,
      ),
      ...(uncopied.more > 0 ? [`- ${andMore(uncopied.more)}`] : []),
    ]);
  }

  section('MALWARE SCANS', scanTextLines(report.scans, max));
  section('TOTALS', totalsLines(report));

  const tail = [toolkitLine(report), comparisonLine(report), trendLine(report)].filter(
    (line): line is string => line !== undefined,
  );
  if (report.trend) tail.push(`(${report.trend.freshness})`);
  section('CONTEXT', tail);
  return { subject, body: `${out.join('\n')}\n` };
}
