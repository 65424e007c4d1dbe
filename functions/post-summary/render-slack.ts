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

/**
 * Slack's Block Kit limits (Block Kit reference: "blocks", "Section block", "Header block"), and a
 * budget for the text of all blocks together. Slack documents no total for section blocks, but
 * refuses a message whose blocks hold more than about 12,000 characters of text with
 * `msg_blocks_too_long` (Slack's engineers in slackapi/bolt-js#2509: "12,000 text characters with a
 * buffer for block containers"; #2867 saw a refusal at 11,341). A refused message loses the whole
 * summary on that channel, so lists shrink until the text fits well inside it.
 */
export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, headerText: 150, blocksText: 10_000 } as const;

/** The Block Kit subset this renderer writes. */
export type SlackBlock =
  | {
      readonly type: 'header';
      readonly text: { readonly type: 'plain_text'; readonly text: string; readonly emoji: true };
    }
  | { readonly type: 'section'; readonly text: { readonly type: 'mrkdwn'; readonly text: string } }
  | { readonly type: 'context'; readonly elements: readonly { readonly type: 'mrkdwn'; readonly text: string }[] }
  | { readonly type: 'divider' };

/** An incoming-webhook payload: `text` is the notification and screen-reader fallback Slack asks for. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

const ICON: Record<Verdict, string> = {
  'all-green': ':white_check_mark:',
  attention: ':red_circle:',
  incomplete: ':warning:',
};
const TITLE: Record<Verdict, string> = {
  'all-green': 'Backups: all clear',
  attention: 'Backups need attention',
  incomplete: 'Backup summary incomplete',
};

/** Slack mrkdwn treats &, < and > as control characters ("Formatting text for app surfaces"). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function link(url: string, label: string): string {
  return `<${url.replace(/[|<>]/g, (c) => encodeURIComponent(c))}|${escapeMrkdwn(label)}>`;
}

/** One block per reason, so the reasons can never crowd the failed jobs out of the 50 blocks. */
const MAX_REASON_BLOCKS = 10;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function section(text: string): SlackBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: cut(text, SLACK_LIMITS.sectionText) },
  };
}

/**
 * A titled list in one section, as many items as fit in 3000 characters; the rest, and `extra`
 * items the report itself left out, become "and N more".
 */
export function listSection(title: string, items: readonly string[], extra: number): SlackBlock {
  const limit = SLACK_LIMITS.sectionText;
  let text = title;
  let used = 0;
  for (const item of items) {
    const remaining = items.length - used - 1 + extra;
    const tail = remaining > 0 ? `\n${andMore(remaining)}` : '';
    const line = `\n${cut(item, limit - title.length - 40)}`;
    if (text.length + line.length + tail.length > limit) break;
    text += line;
    used += 1;
  }
  const more = items.length - used + extra;
  if (more > 0) text += `\n${andMore(more)}`;
  return section(text);
}

/**
 * Renders the summary as a Slack incoming-webhook message: at most 50 blocks, each section at
 * most 3000 characters and all of them at most {@link SLACK_LIMITS} `blocksText` (lists shrink until
 * they fit), worst news first; an all-green day is one section.
 */
export function renderSlack(report: SummaryReport, options: RenderOptions = {}): SlackMessage {
  return shrinkToFit(
    options.maxItems,
    (max) => render(report, max),
    (message) => blocksText(message.blocks) <= SLACK_LIMITS.blocksText,
  );
}

/** Characters of text in `blocks`, as Slack's total counts them: every header, section and context text. */
export function blocksText(blocks: readonly SlackBlock[]): number {
  let total = 0;
  for (const block of blocks) {
    if (block.type === 'header' || block.type === 'section') total += block.text.text.length;
    else if (block.type === 'context') for (const element of block.elements) total += element.text.length;
  }
  return total;
}

/** The message with at most `max` items a list. */
function render(report: SummaryReport, max: number): SlackMessage {
  const verdict = verdictOf(report);
  // The notification text (shown where blocks are not: push notifications, some clients). The
  // headline already opens with the verdict ("Needs attention: ..."), so no title before it.
  const text = `${headline(report)} (${scopeLabel(report)})`;
  if (verdict === 'all-green') {
    return {
      text,
      blocks: [section(`${ICON[verdict]} ${escapeMrkdwn(`${headline(report)} (${scopeLabel(report)}).`)}`)],
    };
  }

  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(TITLE[verdict], SLACK_LIMITS.headerText), emoji: true } },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`${windowLabel(report)} · ${scopeLabel(report)}`) }],
    },
    section(`${ICON[verdict]} *${escapeMrkdwn(headline(report))}*`),
  ];

  if (report.missing.length > 0) {
    blocks.push(
      listSection(
        '*Missing from this summary*',
        report.missing.map((m) => `• ${escapeMrkdwn(`${m.what} in ${m.region}: ${oneLine(m.error)}`)}`),
        0,
      ),
    );
  }

  if (report.failureReasons.length > 0) {
    blocks.push({ type: 'divider' }, section('*What failed and what to do*'));
    const reasons = Math.min(max, MAX_REASON_BLOCKS);
    for (const [i, reason] of report.failureReasons.slice(0, reasons).entries()) {
      const example = reason.example ? `\n> ${escapeMrkdwn(oneLine(reason.example))}` : '';
      blocks.push(
        section(
          `*${i + 1}. ${escapeMrkdwn(reason.category)}*: ${reason.count} (${reason.kinds.join(', ')})${reason.retryable ? ', retryable' : ''}\n` +
            `Cause: ${escapeMrkdwn(reason.cause)}\nFix: ${escapeMrkdwn(oneLine(reason.remedy, 1000))}${example}`,
        ),
      );
    }
    if (report.failureReasons.length > reasons) {
      blocks.push(section(`${andMore(report.failureReasons.length - reasons)} reasons`));
    }
  }

  const problems = shown(report.problemJobs, max);
  if (problems.items.length > 0) {
    blocks.push(
      listSection(
        `*Failed jobs (${report.problemJobs.items.length + report.problemJobs.more})*`,
        problems.items.map((job) => {
          const where = resourceLabel(job.resourceType, job.resourceArn);
          const details = [
            job.vault && `vault ${job.vault}`,
            createdByLabel(job),
            job.region,
            job.createdAt && formatTime(job.createdAt),
          ]
            .filter(Boolean)
            .join(', ');
          const message = job.statusMessage ? `\n   _${escapeMrkdwn(oneLine(job.statusMessage))}_` : '';
          return `• ${link(job.link, job.jobId)} ${job.state} ${job.kind}: ${escapeMrkdwn(where)} (${escapeMrkdwn(details)})${message}`;
        }),
        problems.more,
      ),
    );
  }

  const misses = shown(report.silentMisses, max);
  if (misses.items.length > 0) {
    blocks.push(
      listSection(
        `*Backups that never ran (${misses.items.length + misses.more})*: backed up in the previous window, no job in this one`,
        misses.items.map(
          (miss) =>
            `• ${link(miss.link, resourceLabel(miss.resourceType, miss.resourceArn))} ` +
            `(${escapeMrkdwn([miss.region, miss.vault && `vault ${miss.vault}`].filter(Boolean).join(', '))}): last backup ${formatTime(miss.lastBackupAt)}`,
        ),
        misses.more,
      ),
    );
  }

  for (const part of accountSections(report, max)) {
    blocks.push(
      listSection(
        `*${escapeMrkdwn(part.title)}*`,
        part.items.map((i) => `• ${escapeMrkdwn(i)}`),
        part.more,
      ),
    );
  }

  const neverRan = neverRanSection(report, max);
  if (neverRan) {
    blocks.push(listSection(`*${escapeMrkdwn(neverRan.title)}*`, neverRan.items.map(escapeMrkdwn), neverRan.more));
    if (neverRan.notes.length > 0) blocks.push(section(escapeMrkdwn(neverRan.notes.join('\n'))));
  }

  const coverage = coverageLine(report);
  if (coverage) {
    const uncopied = shown(report.copyCoverage.uncopied, max);
    blocks.push(
      listSection(
        `*${escapeMrkdwn(coverage)}*`,
        uncopied.items.map(
          (rp) =>
            `• not copied: ${escapeMrkdwn(resourceLabel(rp.resourceType, rp.resourceArn ?? rp.recoveryPointArn))} (${escapeMrkdwn([rp.region, rp.vault && `vault ${rp.vault}`].filter(Boolean).join(', '))})`,
        ),
        uncopied.more,
      ),
    );
  }

  const scans = report.scans?.total ? [scanTotalsLine(report.scans)] : [];
  blocks.push({ type: 'divider' }, section([...totalsLines(report), ...scans].map(escapeMrkdwn).join('\n')));
  const tail = [toolkitLine(report), comparisonLine(report), trendLine(report), report.trend?.freshness].filter(
    (line): line is string => line !== undefined,
  );
  if (tail.length > 0) {
    blocks.push({
      type: 'context',
      elements: tail.map((line) => ({ type: 'mrkdwn', text: cut(escapeMrkdwn(line), 2000) })),
    });
  }
  return { text, blocks: fitBlocks(blocks) };
}

/**
 * At most 50 blocks; the last one then says how many were left out. The renderer stays near 25
 * blocks by construction: this is the guard that keeps Slack from rejecting the whole message.
 */
export function fitBlocks(blocks: SlackBlock[]): SlackBlock[] {
  if (blocks.length <= SLACK_LIMITS.blocks) return blocks;
  const kept = blocks.slice(0, SLACK_LIMITS.blocks - 1);
  kept.push(section(`${andMore(blocks.length - kept.length)} parts of this summary (see the email or the JSON)`));
  return kept;
}
