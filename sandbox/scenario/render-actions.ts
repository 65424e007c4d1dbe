import type { InvocationRecord } from '../sandbox.js';
import type { Actions } from './actions.js';

const idOf = (arn: string): string => arn.split(/[:/]/).pop() || arn;
const hhmm = (iso: string): string => iso.slice(11, 16);

/** Lines of the alert body a person acts on: the cause and the remedy. */
const causeAndRemedy = (body: string): string[] =>
  body
    .split('\n')
    .filter((line) => /^(Cause|What to do|Fix|Remedy):/.test(line.trim()))
    .map((line) => `     ${line.trim()}`);

/**
 * "What the toolkit did and why", as `npm start` prints it after the summary: the day's story line by
 * line, then retries, skips with their reasons, alerts with their remedies, copies per hop, and every
 * AWS call per function.
 */
export const renderActions = (
  actions: Actions,
  calls: Readonly<Record<string, Readonly<Record<string, number>>>>,
  invocations: readonly InvocationRecord[],
  failed: readonly InvocationRecord[],
): string => {
  const out: string[] = ['=== What backup-autopilot did, and why ===', ''];
  const name = (arn: string): string => actions.names[arn] ?? idOf(arn);
  out.push(
    `Events: ${actions.events.sent} sent by AWS Backup during the played hours, ${actions.events.delivered} matched a rule, ${actions.events.lost} lost on the way, ${actions.events.duplicated} delivered more than once.`,
    '',
    'The day, resource by resource:',
  );
  for (const line of actions.story) {
    const id = idOf(line.resourceArn);
    out.push(`- ${line.name}${id === line.name ? '' : ` (${id})`}: ${line.what}`);
    for (const fact of line.happened) out.push(`    ${fact}`);
  }
  const { retries } = actions;
  out.push('', `Retries: ${retries.scheduled.length} scheduled, ${retries.started.length} started`);
  for (const s of retries.scheduled) {
    out.push(`  ${hhmm(s.at)} scheduled attempt ${s.attempt} of ${name(s.resource)} for ${hhmm(s.notBefore)} UTC`);
  }
  for (const s of retries.started) out.push(`  ${hhmm(s.at)} started ${name(s.resource)} (token ${s.token})`);
  for (const [resource, looks] of Object.entries(retries.waited)) {
    out.push(`  waited while a job ran for ${name(resource)}: looked again ${looks} time(s), once an hour`);
  }
  out.push('', 'Not retried, and why:');
  for (const [reason, resources] of Object.entries(retries.skipped)) {
    const counted = [...new Set(resources)].map((r) => {
      const n = resources.filter((x) => x === r).length;
      return n > 1 ? `${name(r)} x${n}` : name(r);
    });
    out.push(`  ${reason}: ${counted.join(', ')}`);
  }
  out.push(`  duplicate deliveries ignored: ${retries.duplicatesIgnored}`);
  out.push('', `Alerts (${actions.alerts.length}):`);
  for (const alert of actions.alerts) {
    out.push(`  ${hhmm(alert.at)} ${alert.subject}`);
    out.push(...causeAndRemedy(alert.body));
  }
  out.push('', `Copies started (${actions.copies.length}):`);
  const byHop = new Map<string, Actions['copies'][number][]>();
  for (const copy of actions.copies) byHop.set(copy.hop, [...(byHop.get(copy.hop) ?? []), copy]);
  for (const [hop, copies] of [...byHop.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const routes = new Map<string, number>();
    for (const c of copies) {
      const key = `${c.rule ?? '?'}: ${c.region} -> ${c.to.split(':')[3]} ${c.to.split(':').pop()}`;
      routes.set(key, (routes.get(key) ?? 0) + 1);
    }
    for (const [route, n] of routes) out.push(`  hop ${hop}, ${route}: ${n}`);
  }
  out.push('', 'AWS calls per function (SDK retries included):');
  for (const [caller, ops] of Object.entries(calls).sort(([a], [b]) => a.localeCompare(b))) {
    const total = Object.values(ops).reduce((a, b) => a + b, 0);
    out.push(
      `  ${caller} (${total}): ${Object.entries(ops)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')}`,
    );
  }
  const byFunction = new Map<string, { ok: number; failed: number }>();
  for (const i of invocations) {
    const entry = byFunction.get(i.function) ?? { ok: 0, failed: 0 };
    if (i.outcome.ok) entry.ok += 1;
    else entry.failed += 1;
    byFunction.set(i.function, entry);
  }
  out.push('', 'Invocations:');
  for (const [fn, n] of [...byFunction.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`  ${fn}: ${n.ok} succeeded${n.failed > 0 ? `, ${n.failed} failed (Lambda retried them)` : ''}`);
  }
  if (failed.length > 0) {
    out.push('', `Invocations that failed after Lambda's retries (${failed.length}):`);
    for (const f of failed) {
      const error = f.outcome.ok ? '' : `${f.outcome.error.errorType}: ${f.outcome.error.errorMessage}`;
      out.push(`  ${f.function} (${f.trigger}): ${error}`);
    }
  }
  return `${out.join('\n')}\n`;
};
