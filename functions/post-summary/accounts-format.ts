/**
 * Wording of the organization summary's per-account part, shared by the text, Slack and Teams
 * renderers: titles and plain lines (each renderer adds its own bullets, escaping and "and N more").
 */
import type { AccountLine, AccountsSummary, QuietAccount } from './accounts.js';
import type { SummaryReport } from './report.js';

/** A titled list: the items shown and how many more there are. */
export interface AccountSection {
  readonly title: string;
  readonly items: readonly string[];
  readonly more: number;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `prod-payments (111122223333)`, or the id alone. */
export function accountLabel(account: { readonly accountId: string; readonly name?: string }): string {
  return account.name ? `${account.name} (${account.accountId})` : account.accountId;
}

/** `111122223333: 3 failed, 2 never ran, 1 with issues; 120 backup jobs in eu-west-1, us-east-1`. */
export function accountLineText(line: AccountLine): string {
  const news = [
    line.failed > 0 && `${line.failed} failed`,
    line.silentMisses > 0 && `${line.silentMisses} never ran`,
    line.completedWithIssues > 0 && `${line.completedWithIssues} with issues`,
  ].filter(Boolean);
  const jobs = `${plural(line.jobs, 'backup job')} in ${line.regions.join(', ')}`;
  return `${accountLabel(line)}: ${news.length > 0 ? `${news.join(', ')}; ${jobs}` : `all well; ${jobs}`}`;
}

/** `444455556666: no backup job in any Region (14 in the previous window)`. */
export function quietAccountText(account: QuietAccount, regions: number): string {
  const where = regions === 1 ? 'no backup job' : 'no backup job in any Region';
  const before =
    account.previousJobs > 0
      ? `${plural(account.previousJobs, 'job')} in the previous window`
      : 'none in the previous window either';
  return `${accountLabel(account)}: ${where} (${before})`;
}

/** `Accounts without backup jobs (3 of 200 active; 1 went silent)`. */
function quietTitle(accounts: AccountsSummary): string {
  const total = accounts.withoutJobs.items.length + accounts.withoutJobs.more;
  const silent = accounts.wentSilent > 0 ? `; ${accounts.wentSilent} went silent` : '';
  return `Accounts without backup jobs (${total} of ${accounts.active ?? '?'} active${silent})`;
}

/**
 * The per-account sections of an organization summary, at most `max` items each: the ACTIVE accounts
 * with no backup job first (the silent miss of a fleet), then every account with jobs, worst first.
 * Empty outside organization scope.
 */
export function accountSections(report: SummaryReport, max: number): AccountSection[] {
  const accounts = report.accounts;
  if (!accounts) return [];
  const sections: AccountSection[] = [];
  const regions = report.scope.regions.length;
  const quiet = accounts.withoutJobs;
  if (quiet.items.length > 0) {
    const items = quiet.items.slice(0, max);
    sections.push({
      title: quietTitle(accounts),
      items: items.map((a) => quietAccountText(a, regions)),
      more: quiet.items.length - items.length + quiet.more,
    });
  }
  const lines = accounts.lines;
  if (lines.items.length > 0) {
    const items = lines.items.slice(0, max);
    const of = accounts.active === null ? '' : ` of ${accounts.active} active`;
    sections.push({
      title: `Backup jobs per account, worst first (${plural(accounts.withJobs, 'account')}${of}, organization-wide)`,
      items: items.map(accountLineText),
      more: lines.items.length - items.length + lines.more,
    });
  }
  return sections;
}
