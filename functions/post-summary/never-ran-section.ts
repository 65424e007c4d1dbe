import { formatTime } from './format.js';
import type { NeverRanRule, PlanWithoutSelection, SummaryReport } from './report.js';

/** What the plan rules that never ran look like in any renderer: a title, items, and what to do. */
export interface NeverRanSection {
  /** Sentence case: `Plan rules that created no job (2)` (the email upper-cases it like its other titles). */
  readonly title: string;
  readonly items: readonly string[];
  /** Items the report or `max` left out. */
  readonly more: number;
  /** Likely causes and what to check, once for the section. */
  readonly notes: readonly string[];
}

/**
 * Why a rule that should have run created no job at all: AWS creates a job for each resource the
 * selection resolves to, with the selection's role, for the resource types opted in. Sources:
 * assigning resources (https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html),
 * the role AWS Backup assumes (https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html),
 * Service opt-in (https://docs.aws.amazon.com/aws-backup/latest/devguide/service-opt-in.html).
 */
export const NEVER_RAN_CAUSES =
  'Likely causes: the selection matches no resource (its tags, ARNs or conditions select nothing, or the resources are gone); AWS Backup cannot assume the selection role (its trust policy must allow backup.amazonaws.com) or the role lacks the permissions for the resource type; the resource type is not opted in for this Region.';

/** What a person checks, in the order that finds it fastest. */
export const NEVER_RAN_CHECKS =
  "What to check: the plan's resource assignments (console, or GetBackupSelection: resources, NotResources, tags and conditions); the role's trust policy and permissions (IAM); Settings > Service opt-in for the resource type (DescribeRegionSettings ResourceTypeOptInPreference).";

const MINUTES_PER = [
  [1440, 'day'],
  [60, 'hour'],
  [1, 'minute'],
] as const;

function every(minutes: number): string {
  for (const [size, unit] of MINUTES_PER) {
    if (minutes % size === 0) {
      const n = minutes / size;
      return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
    }
  }
  return `every ${minutes} minutes`;
}

/** `05:00 UTC` inside a day's summary, `2026-11-30 05:00 UTC` in a longer one. */
function when(iso: string, hours: number): string {
  return hours <= 24 ? `${iso.slice(11, 16)} UTC` : formatTime(iso);
}

/** `due 05:00 UTC`, `due 05:00 UTC and 17:00 UTC`, `due 01:00 UTC and 5 more runs`, `due every 12 hours`. */
export function dueLabel(rule: NeverRanRule, hours: number): string {
  const [first, second] = rule.dueAt;
  if (first === undefined)
    return `due ${every(rule.everyMinutes ?? 0)} (${rule.dueRuns} run${rule.dueRuns === 1 ? '' : 's'} at least)`;
  if (rule.dueRuns === 1) return `due ${when(first, hours)}`;
  if (rule.dueRuns === 2 && second !== undefined) return `due ${when(first, hours)} and ${when(second, hours)}`;
  return `due ${when(first, hours)} and ${rule.dueRuns - 1} more runs`;
}

function roleName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1) || arn;
}

function ruleLine(rule: NeverRanRule, report: SummaryReport): string {
  const details = [
    report.scope.regions.length > 1 ? rule.region : undefined,
    rule.selections.length > 0 ? `selection ${rule.selections.map((s) => `\`${s}\``).join(', ')}` : undefined,
    rule.iamRoles.length > 0 ? `role ${rule.iamRoles.map(roleName).join(', ')}` : undefined,
    rule.lastJobAt ? `last job ${formatTime(rule.lastJobAt)}` : 'no job of this rule listed',
  ].filter((part): part is string => part !== undefined);
  return `- plan \`${rule.planName}\`, rule \`${rule.ruleName}\`: ${dueLabel(rule, report.window.hours)}, no job created (${details.join('; ')})`;
}

function planLine(plan: PlanWithoutSelection, report: SummaryReport): string {
  const where = report.scope.regions.length > 1 ? `, ${plan.region}` : '';
  return `- plan \`${plan.planName}\`: no resource selection, so its rules (${plan.rules.map((r) => `\`${r}\``).join(', ')}) back up nothing${where}`;
}

/**
 * The section on plan rules that never ran, or undefined when there is nothing to say. At most
 * `max` lines (rules first, then plans with no selection); the rest are counted.
 */
export function neverRanSection(report: SummaryReport, max: number): NeverRanSection | undefined {
  const found = report.neverRan;
  if (!found) return undefined;
  const total =
    found.rules.items.length +
    found.rules.more +
    found.plansWithoutSelection.items.length +
    found.plansWithoutSelection.more;
  if (total === 0) return undefined;
  const lines = [
    ...found.rules.items.map((rule) => ruleLine(rule, report)),
    ...found.plansWithoutSelection.items.map((plan) => planLine(plan, report)),
  ];
  const items = lines.slice(0, Math.max(0, max));
  const notes = found.rules.items.length + found.rules.more > 0 ? [NEVER_RAN_CAUSES, NEVER_RAN_CHECKS] : [];
  return { title: `Plan rules that created no job (${total})`, items, more: total - items.length, notes };
}
