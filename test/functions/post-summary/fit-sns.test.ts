import { describe, expect, it } from 'vitest';
import { capReport, fitJson, fitText, SNS_MAX_BYTES, snsBodyBudget } from '../../../functions/post-summary/fit-sns.js';
import { renderJson } from '../../../functions/post-summary/render-json.js';
import { renderText } from '../../../functions/post-summary/render-text.js';
import { badDayReport, hugeReport, largeOrganizationReport, plansUnreadableReport } from './report-fixtures.js';

const bytes = (text: string): number => Buffer.byteLength(text);

describe('snsBodyBudget', () => {
  it('leaves out what SNS counts besides the body: each attribute name, type and value, and a subject', () => {
    // kind(4) + String(6) + summary(7), format(6) + String(6) + json(4): 33 bytes, and 100 for the subject.
    expect(snsBodyBudget({ kind: 'summary', format: 'json' })).toBe(SNS_MAX_BYTES - 33 - 100);
  });
});

describe('fitText', () => {
  it('is the email as rendered when it fits', () => {
    expect(fitText(badDayReport(), 10, SNS_MAX_BYTES)).toEqual(renderText(badDayReport(), { maxItems: 10 }));
  });

  it('keeps the start of the headline when not even it fits', () => {
    const report = plansUnreadableReport(1);
    const { body } = fitText(report, 10, 200);
    expect(bytes(body)).toBeLessThanOrEqual(200);
    expect(body).toMatch(/^Incomplete summary \(could not read backup plan/);
  });

  it('halves the items per list until the email fits', () => {
    const report = hugeReport(100);
    const budget = bytes(renderText(report, { maxItems: 25 }).body);
    expect(fitText(report, 100, budget)).toEqual(renderText(report, { maxItems: 25 }));
  });

  it('cuts at a line and says so when one item per list is still too much', () => {
    const report = plansUnreadableReport(1);
    const { body } = fitText(report, 10, 1000);
    expect(bytes(body)).toBeLessThanOrEqual(1000);
    const lines = renderText(report, { maxItems: 1 }).body.split('\n');
    expect(body.startsWith(`${lines[0]}\n${lines[1]}\n`)).toBe(true);
    expect(body).toMatch(
      /\n\[Trimmed: this summary was \d+ bytes, over the 262144 SNS publishes; the rest is left out\.\]\n$/,
    );
  });
});

describe('fitJson', () => {
  it('is the report as is when it fits, with no trimmed part', () => {
    const json = fitJson(badDayReport(), SNS_MAX_BYTES);
    expect(json).toBe(renderJson(badDayReport()));
    expect(JSON.parse(json)).not.toHaveProperty('trimmed');
  });

  it('halves every list until the report fits, counting in `more` what the lists no longer hold', () => {
    const report = largeOrganizationReport(1000);
    const json = JSON.parse(fitJson(report, 100_000));
    expect(bytes(JSON.stringify(json))).toBeLessThanOrEqual(100_000);
    expect(json.trimmed.bytes).toBe(bytes(renderJson(report)));
    const kept: number = json.trimmed.maxItems;
    expect(json.silentMisses.items).toHaveLength(kept);
    expect(json.silentMisses.more).toBe(report.silentMisses.items.length + report.silentMisses.more - kept);
    expect(json.accounts.lines.items.length + json.accounts.lines.more).toBe(1000);
  });
});

describe('capReport', () => {
  it('cuts the parts without a count of their own and says how many entries it left out', () => {
    const report = plansUnreadableReport(2, ['eu-west-1', 'us-east-1']);
    const capped = capReport(report, 3, { bytes: 1, limitBytes: SNS_MAX_BYTES, maxItems: 3 });
    expect(capped.missing).toEqual(report.missing.slice(0, 3));
    expect(capped.trimmed).toEqual({ bytes: 1, limitBytes: SNS_MAX_BYTES, maxItems: 3, leftOut: { missing: 1 } });
  });

  it('keeps the largest breakdown entries', () => {
    const report = largeOrganizationReport(5);
    const byAccount = {
      ...report.backup.byAccount,
      '399999999999': { total: 900, byState: { COMPLETED: 900 } },
    };
    const capped = capReport({ ...report, backup: { ...report.backup, byAccount } }, 1, {
      bytes: 1,
      limitBytes: SNS_MAX_BYTES,
      maxItems: 1,
    });
    expect(capped.backup.byAccount).toEqual({ '399999999999': { total: 900, byState: { COMPLETED: 900 } } });
    expect(capped.trimmed?.leftOut['backup.byAccount']).toBe(5);
  });
});
