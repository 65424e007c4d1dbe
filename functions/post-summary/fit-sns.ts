/**
 * Fitting a summary into one SNS message. SNS Publish takes at most 256 KiB (262,144 bytes) and
 * counts every message attribute's name, type and value in it (SNS API, MessageAttributeValue: "All
 * parts of the message attribute, including name, type, and value, are included in the message size
 * restriction"); a message over it is refused (InvalidParameter), and the summary is then lost on that
 * channel. So a summary too large is sent trimmed, saying what was left out, never refused.
 */
import { renderJson } from './render-json.js';
import { renderText, shrinkToFit, type TextSummary } from './render-text.js';
import type { Capped, StateCounts, SummaryReport, Trimmed } from './report.js';

/** SNS Publish takes at most 256 KiB per message, message attributes included (SNS quotas). */
export const SNS_MAX_BYTES = 262_144;

/** The subject counts too, to be safe (SNS does not say it does not): at most 100 bytes (shared/notify.ts). */
const SUBJECT_BYTES = 100;

/** The bytes left for the body once the attributes (`kind`, `verdict`, `format`) and a subject are counted. */
export function snsBodyBudget(attributes: Readonly<Record<string, string>>): number {
  return (
    SNS_MAX_BYTES -
    SUBJECT_BYTES -
    Object.entries(attributes).reduce(
      (sum, [name, value]) => sum + Buffer.byteLength(name) + 'String'.length + Buffer.byteLength(value),
      0,
    )
  );
}

function bytes(text: string): number {
  return Buffer.byteLength(text);
}

/** The longest start of `text` (whole characters) of at most `max` UTF-8 bytes; one pass, counting as it goes. */
function cutToBytes(text: string, max: number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = bytes(char);
    if (used + size > max) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * The email, with lists shortened (halved, down to one item each; the rest counted as "and N more")
 * until it fits `budget`; in the last resort cut at a line, saying so.
 */
export function fitText(report: SummaryReport, maxItems: number | undefined, budget: number): TextSummary {
  const text = shrinkToFit(
    maxItems,
    (max) => renderText(report, { maxItems: max }),
    (rendered) => bytes(rendered.body) <= budget,
  );
  if (bytes(text.body) <= budget) return text;
  const note = `\n[Trimmed: this summary was ${bytes(text.body)} bytes, over the ${SNS_MAX_BYTES} SNS publishes; the rest is left out.]\n`;
  const room = budget - bytes(note);
  const lines = text.body.split('\n');
  let kept = '';
  // Bytes kept so far, counted once per line: the cut stays linear in the size of the text.
  let used = 0;
  for (const line of lines) {
    const size = bytes(line) + 1;
    if (used + size > room) {
      // Even the headline may not fit a tiny budget: keep what does of the line that does not.
      if (kept === '') kept = `${cutToBytes(line, room - 1)}\n`;
      break;
    }
    kept += `${line}\n`;
    used += size;
  }
  return { subject: text.subject, body: `${kept}${note}` };
}

function capList<T>(list: Capped<T>, max: number): Capped<T> {
  return list.items.length <= max
    ? list
    : { items: list.items.slice(0, max), more: list.more + list.items.length - max };
}

/** The `max` largest entries of a breakdown (by total, then key), and how many were left out. */
function capBreakdown(
  breakdown: Readonly<Record<string, StateCounts>>,
  max: number,
): { kept: Record<string, StateCounts>; leftOut: number } {
  const entries = Object.entries(breakdown);
  if (entries.length <= max) return { kept: { ...breakdown }, leftOut: 0 };
  const largest = [...entries].sort(([a, x], [b, y]) => y.total - x.total || a.localeCompare(b)).slice(0, max);
  const keep = new Set(largest.map(([key]) => key));
  // The kept entries in the report's own (key) order.
  return { kept: Object.fromEntries(entries.filter(([key]) => keep.has(key))), leftOut: entries.length - max };
}

/**
 * The report with every list at most `max` long: the capped lists move the rest into `more` (as they
 * already count what the summary left out), and the parts without a count (missing parts, failure
 * reasons, the breakdowns by resource type, vault and account) are cut and counted in `trimmed`.
 */
export function capReport(report: SummaryReport, max: number, trimmed: Omit<Trimmed, 'leftOut'>): SummaryReport {
  const leftOut: Record<string, number> = {};
  const note = (field: string, n: number): void => {
    if (n > 0) leftOut[field] = n;
  };
  const breakdown = (field: 'byResourceType' | 'byVault' | 'byAccount') => {
    const { kept, leftOut: n } = capBreakdown(report.backup[field], max);
    note(`backup.${field}`, n);
    return kept;
  };
  note('missing', report.missing.length - Math.min(max, report.missing.length));
  note('failureReasons', report.failureReasons.length - Math.min(max, report.failureReasons.length));
  const backup = {
    ...report.backup,
    byResourceType: breakdown('byResourceType'),
    byVault: breakdown('byVault'),
    byAccount: breakdown('byAccount'),
  };
  return {
    ...report,
    missing: report.missing.slice(0, max),
    backup,
    failureReasons: report.failureReasons.slice(0, max),
    problemJobs: capList(report.problemJobs, max),
    silentMisses: capList(report.silentMisses, max),
    copyCoverage: { ...report.copyCoverage, uncopied: capList(report.copyCoverage.uncopied, max) },
    ...(report.neverRan
      ? {
          neverRan: {
            rules: capList(report.neverRan.rules, max),
            plansWithoutSelection: capList(report.neverRan.plansWithoutSelection, max),
          },
        }
      : {}),
    ...(report.scans
      ? {
          scans: {
            ...report.scans,
            failed: capList(report.scans.failed, max),
            threatsFound: capList(report.scans.threatsFound, max),
          },
        }
      : {}),
    ...(report.accounts
      ? {
          accounts: {
            ...report.accounts,
            lines: capList(report.accounts.lines, max),
            withoutJobs: capList(report.accounts.withoutJobs, max),
          },
        }
      : {}),
    trimmed: { ...trimmed, leftOut },
  };
}

/** The longest list of the report: where halving starts. */
function longestList(report: SummaryReport): number {
  return Math.max(
    report.missing.length,
    report.failureReasons.length,
    report.problemJobs.items.length,
    report.silentMisses.items.length,
    report.copyCoverage.uncopied.items.length,
    report.neverRan?.rules.items.length ?? 0,
    report.neverRan?.plansWithoutSelection.items.length ?? 0,
    report.scans?.failed.items.length ?? 0,
    report.scans?.threatsFound.items.length ?? 0,
    report.accounts?.lines.items.length ?? 0,
    report.accounts?.withoutJobs.items.length ?? 0,
    Object.keys(report.backup.byResourceType).length,
    Object.keys(report.backup.byVault).length,
    Object.keys(report.backup.byAccount).length,
  );
}

/**
 * The JSON report as is when it fits `budget`, else with every list halved until it does (at most
 * `maxItems` each, the rest counted); `trimmed` then says it was, from what size, and what was cut.
 * The counts (totals, states, `more`) are never cut: only the items listed.
 */
export function fitJson(report: SummaryReport, budget: number): string {
  const full = renderJson(report);
  const fullBytes = bytes(full);
  if (fullBytes <= budget) return full;
  let max = longestList(report);
  let json = full;
  do {
    max = Math.floor(max / 2);
    json = renderJson(capReport(report, max, { bytes: fullBytes, limitBytes: SNS_MAX_BYTES, maxItems: max }));
  } while (bytes(json) > budget && max > 0);
  return json;
}
