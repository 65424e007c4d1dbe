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
  toolkitLine,
  totalsLines,
  trendLine,
  type Verdict,
  verdictOf,
  windowLabel,
} from './format.js';
import { neverRanSection } from './never-ran-section.js';
import { type RenderOptions, shrinkToFit } from './render-text.js';
import type { SummaryReport } from './report.js';
import { scanTotalsLine } from './scans.js';

/** Adaptive Card elements this renderer writes (schema 1.4, the version Teams Workflows renders). */
export type CardElement =
  | {
      readonly type: 'TextBlock';
      readonly text: string;
      readonly wrap: true;
      readonly weight?: 'Bolder';
      readonly size?: 'Small' | 'Medium' | 'Large';
      readonly color?: 'Good' | 'Attention' | 'Warning';
      readonly isSubtle?: true;
      readonly spacing?: 'None' | 'Medium';
      readonly separator?: true;
    }
  | { readonly type: 'FactSet'; readonly facts: readonly { readonly title: string; readonly value: string }[] };

/**
 * A Teams Workflows webhook body ("When a Teams webhook request is received"): a `message` with one
 * Adaptive Card attachment; Workflows accepts nothing else (aws-facts.md, Notifications and channels).
 */
export interface TeamsMessage {
  readonly type: 'message';
  readonly attachments: readonly [
    {
      readonly contentType: 'application/vnd.microsoft.card.adaptive';
      readonly contentUrl: null;
      readonly content: {
        readonly type: 'AdaptiveCard';
        readonly version: '1.4';
        readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
        readonly body: readonly CardElement[];
        readonly msteams: { readonly width: 'Full' };
      };
    },
  ];
}

/** Teams rejects messages over about 28 KB; the card shrinks its lists until it fits under this. */
export const TEAMS_MAX_BYTES = 27_000;

const COLOR: Record<Verdict, 'Good' | 'Attention' | 'Warning'> = {
  'all-green': 'Good',
  attention: 'Attention',
  incomplete: 'Warning',
};

function text(
  value: string,
  extra: Omit<Extract<CardElement, { type: 'TextBlock' }>, 'type' | 'text' | 'wrap'> = {},
): CardElement {
  return {
    type: 'TextBlock',
    text: value,
    wrap: true,
    ...extra,
  };
}

function title(value: string): CardElement {
  return text(value, { weight: 'Bolder', spacing: 'Medium', separator: true });
}
function item(value: string): CardElement {
  return text(value, { spacing: 'None' });
}
function mdLink(url: string, label: string): string {
  return `[${label.replace(/[[\]]/g, '')}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
}

function body(report: SummaryReport, max: number): CardElement[] {
  const verdict = verdictOf(report);
  if (verdict === 'all-green') {
    return [text(`✅ ${headline(report)} (${scopeLabel(report)}).`, { color: 'Good', weight: 'Bolder' })];
  }
  const out: CardElement[] = [
    text(headline(report), { size: 'Medium', weight: 'Bolder', color: COLOR[verdict] }),
    text(`${windowLabel(report)} · ${scopeLabel(report)}`, { isSubtle: true, spacing: 'None' }),
  ];
  if (report.missing.length > 0) {
    out.push(text('Missing from this summary', { weight: 'Bolder', color: 'Warning', separator: true }));
    for (const m of report.missing.slice(0, max)) out.push(item(`- ${m.what} in ${m.region}: ${oneLine(m.error)}`));
    if (report.missing.length > max) out.push(item(andMore(report.missing.length - max)));
  }
  if (report.failureReasons.length > 0) {
    out.push(title('What failed and what to do'));
    for (const [i, reason] of report.failureReasons.slice(0, max).entries()) {
      out.push(
        text(
          `**${i + 1}. ${reason.category}**: ${reason.count} (${reason.kinds.join(', ')})${reason.retryable ? ', retryable' : ''}`,
          {
            spacing: 'Medium',
          },
        ),
        item(`Cause: ${reason.cause}`),
        item(`Fix: ${oneLine(reason.remedy, 400)}`),
      );
      if (reason.example) out.push(text(`AWS said: ${oneLine(reason.example)}`, { spacing: 'None', isSubtle: true }));
    }
    if (report.failureReasons.length > max) out.push(item(`${andMore(report.failureReasons.length - max)} reasons`));
  }
  const problems = shown(report.problemJobs, max);
  if (problems.items.length > 0) {
    out.push(title(`Failed jobs (${report.problemJobs.items.length + report.problemJobs.more})`));
    for (const job of problems.items) {
      const where = resourceLabel(job.resourceType, job.resourceArn);
      const details = [
        job.vault && `vault ${job.vault}`,
        createdByLabel(job),
        job.region,
        job.createdAt && formatTime(job.createdAt),
      ]
        .filter(Boolean)
        .join(', ');
      const message = job.statusMessage ? `: ${oneLine(job.statusMessage)}` : '';
      out.push(item(`- ${mdLink(job.link, job.jobId)} ${job.state} ${job.kind}, ${where} (${details})${message}`));
    }
    if (problems.more > 0) out.push(item(andMore(problems.more)));
  }
  const misses = shown(report.silentMisses, max);
  if (misses.items.length > 0) {
    out.push(title(`Backups that never ran (${misses.items.length + misses.more})`));
    out.push(text('Backed up in the previous window, no job at all in this one.', { isSubtle: true, spacing: 'None' }));
    for (const miss of misses.items) {
      const label = resourceLabel(miss.resourceType, miss.resourceArn);
      out.push(item(`- ${mdLink(miss.link, label)} (${miss.region}): last backup ${formatTime(miss.lastBackupAt)}`));
    }
    if (misses.more > 0) out.push(item(andMore(misses.more)));
  }
  for (const part of accountSections(report, max)) {
    out.push(title(part.title), ...part.items.map((i) => item(`- ${i}`)));
    if (part.more > 0) out.push(item(andMore(part.more)));
  }
  const neverRan = neverRanSection(report, max);
  if (neverRan) {
    out.push(title(neverRan.title), ...neverRan.items.map(item));
    if (neverRan.more > 0) out.push(item(andMore(neverRan.more)));
    for (const note of neverRan.notes) out.push(text(note, { isSubtle: true, spacing: 'None' }));
  }
  const coverage = coverageLine(report);
  if (coverage) {
    out.push(title(coverage));
    const uncopied = shown(report.copyCoverage.uncopied, max);
    for (const rp of uncopied.items) {
      const label = resourceLabel(rp.resourceType, rp.resourceArn ?? rp.recoveryPointArn);
      out.push(item(`- not copied: ${label} (${rp.region}${rp.vault ? `, vault ${rp.vault}` : ''})`));
    }
    if (uncopied.more > 0) out.push(item(andMore(uncopied.more)));
  }
  const [backups, copies, restores] = totalsLines(report);
  out.push(title('Totals'), {
    type: 'FactSet',
    facts: [
      { title: 'Backups', value: backups },
      { title: 'Copies', value: copies },
      { title: 'Restores', value: restores },
      ...(report.scans?.total ? [{ title: 'Malware scans', value: scanTotalsLine(report.scans) }] : []),
    ],
  });
  for (const line of [toolkitLine(report), comparisonLine(report), trendLine(report), report.trend?.freshness]) {
    if (line !== undefined) out.push(text(line, { isSubtle: true, size: 'Small', spacing: 'None' }));
  }
  return out;
}

function message(elements: CardElement[]): TeamsMessage {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          type: 'AdaptiveCard',
          version: '1.4',
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          body: elements,
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}

/**
 * Renders the summary as a Teams Workflows message (Adaptive Card 1.4), worst news first; an
 * all-green day is one line. Lists shrink (the rest counted as "and N more") until the card fits.
 */
export function renderTeams(report: SummaryReport, options: RenderOptions = {}): TeamsMessage {
  return shrinkToFit(
    options.maxItems,
    (max) => message(body(report, max)),
    (card) => Buffer.byteLength(JSON.stringify(card)) <= TEAMS_MAX_BYTES,
  );
}
