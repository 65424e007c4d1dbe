import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { headline, subjectOf, verdictOf } from '../../../functions/post-summary/format.js';
import { renderJson } from '../../../functions/post-summary/render-json.js';
import { renderSlack } from '../../../functions/post-summary/render-slack.js';
import { renderTeams } from '../../../functions/post-summary/render-teams.js';
import { renderText } from '../../../functions/post-summary/render-text.js';
import schema from '../../../functions/post-summary/schemas/summary.schema.json' with { type: 'json' };
import { organizationReport } from './report-fixtures.js';

/** The organization summary's per-account part in every rendering (the renderers' own tests cover the rest). */
describe('organization summary: accounts', () => {
  it('makes an account that went silent bad news, and one that never had jobs only a flag', () => {
    const report = organizationReport();
    expect(verdictOf(report)).toBe('attention');
    expect(headline(report)).toBe('Needs attention: 1 account went silent');
    expect(subjectOf(report)).toBe('Backups 2026-11-24 [111122223333 2 Regions]: 1 account silent');

    const accounts = report.accounts;
    if (!accounts) throw new Error('fixture has accounts');
    const neverHadJobs = { ...report, accounts: { ...accounts, wentSilent: 0 } };
    expect(verdictOf(neverHadJobs)).toBe('all-green');
  });

  it('text: accounts without jobs, then every account worst first, "and N more", copies this account only', () => {
    const { body } = renderText(organizationReport({ copyCoverage: { ...organizationReport().copyCoverage } }));
    const at = (text: string) => body.indexOf(text);
    expect(at('ACCOUNTS WITHOUT BACKUP JOBS (2 OF 16 ACTIVE; 1 WENT SILENT)')).toBeGreaterThan(0);
    expect(at('ACCOUNTS WITHOUT BACKUP JOBS')).toBeLessThan(at('BACKUP JOBS PER ACCOUNT, WORST FIRST'));
    expect(at('BACKUP JOBS PER ACCOUNT, WORST FIRST')).toBeLessThan(at('TOTALS'));
    expect(body).toContain(
      '- log-archive (777788889999): no backup job in any Region (14 jobs in the previous window)',
    );
    expect(body).toContain(
      '- sandbox (999988887777): no backup job in any Region (none in the previous window either)',
    );
    expect(body).toContain('- payments (210987654321): 3 failed; 40 backup jobs in eu-west-1, us-east-1');
    expect(body).toContain('- and 4 more');
    expect(body).toContain('Copy coverage: 100% (10 of 10 recovery points copied, this account only)');
    expect(body).toContain('42 backups: 42 completed, 3.0 GiB, organization-wide');
    expect(body).toContain('10 copies: 10 completed, 1.0 GiB, this account only');
  });

  it('Slack: one section per part, each with "and N more"', () => {
    const { blocks } = renderSlack(organizationReport());
    const texts = blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));
    const quiet = texts.find((t) => t.startsWith('*Accounts without backup jobs'));
    const lines = texts.find((t) => t.startsWith('*Backup jobs per account'));
    expect(quiet).toContain('• log-archive (777788889999): no backup job in any Region');
    expect(lines).toContain('• payments (210987654321): 3 failed');
    expect(lines?.endsWith('and 4 more')).toBe(true);
  });

  it('Teams: a titled list per part', () => {
    const card = renderTeams(organizationReport());
    const texts = card.attachments[0]?.content.body.flatMap((e) => (e.type === 'TextBlock' ? [e.text] : [])) ?? [];
    expect(texts).toContain('Accounts without backup jobs (2 of 16 active; 1 went silent)');
    expect(texts).toContain(
      '- log-archive (777788889999): no backup job in any Region (14 jobs in the previous window)',
    );
    expect(texts).toContain('and 4 more');
  });

  it('JSON: the accounts part is valid against the schema', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
    const validate = ajv.compile(schema);
    const json = JSON.parse(renderJson(organizationReport())) as { accounts: unknown };
    expect(validate(json), ajv.errorsText(validate.errors)).toBe(true);
    expect(json.accounts).toMatchObject({ active: 16, withJobs: 14, wentSilent: 1 });

    const broken = { ...json, accounts: { ...(json.accounts as object), silent: 1 } };
    expect(validate(broken)).toBe(false);
  });
});
