import { describe, expect, it } from 'vitest';
import { nextFireAfter } from '../../../sandbox/template/schedule-expression.js';
import { cronInstants } from '../../../shared/schedule/cron-engine.js';
import { cronRuns, parseSchedule } from '../../../shared/schedule/schedule.js';

// Two readings of AWS's six-field cron, written apart on purpose: the product's
// (shared/schedule/aws-cron.ts, translated for cron-parser plus its own year, W and LW checks), which
// predicts a plan's next run and the runs a summary expects; and the sandbox's
// (sandbox/template/schedule-expression.ts, evaluated field by field), which decides when the
// sandbox's AWS Backup runs a plan and its Scheduler fires. The sandbox is where the product's
// reading is checked, so it must not share it: here both must give the same fires, expression by
// expression, so a mistake in either shows as a disagreement instead of being agreed with.
//
// Zones without daylight saving in the spans compared: the two differ on purpose at a spring-forward
// gap (cron-parser fires after the gap; EventBridge Scheduler skips the fire), which is asserted
// in each one's own tests.

const FIRES = 12;

/** The product's next FIRES fires strictly after `fromMs`. */
const productFires = async (expression: string, timezone: string, fromMs: number): Promise<string[]> => {
  const schedule = parseSchedule(expression);
  if (schedule.kind !== 'cron') throw new Error(`${expression} is not a cron expression`);
  const runs = await cronRuns(schedule.cron, timezone, fromMs + 1, Date.UTC(2200, 0, 1), cronInstants, FIRES);
  return runs.map((ms) => new Date(ms).toISOString());
};

/** The sandbox's next FIRES fires strictly after `fromMs`. */
const sandboxFires = (expression: string, timezone: string, fromMs: number): string[] => {
  const out: string[] = [];
  let after = fromMs;
  while (out.length < FIRES) {
    const next = nextFireAfter(expression, after, timezone);
    if (next === undefined) break;
    out.push(new Date(next).toISOString());
    after = next;
  }
  return out;
};

// The examples of "Cron expressions reference" (EventBridge User Guide, which API_BackupRule's
// ScheduleExpression points to), the schedules AWS Backup's console offers, and the special forms.
const EXPRESSIONS = [
  'cron(0 10 * * ? *)',
  'cron(15 12 * * ? *)',
  'cron(0 18 ? * MON-FRI *)',
  'cron(0 8 1 * ? *)',
  'cron(0/15 * * * ? *)',
  'cron(0/10 * ? * MON-FRI *)',
  'cron(0/5 8-17 ? * MON-FRI *)',
  'cron(0 9 ? * 2#1 *)',
  'cron(0 5 ? * * *)',
  'cron(0 5 ? * SUN *)',
  'cron(0 5 1 * ? *)',
  'cron(0 5 ? * 1,4 *)',
  'cron(30 2 L * ? *)',
  'cron(0 3 LW * ? *)',
  'cron(0 4 15W * ? *)',
  'cron(0 4 1W * ? *)',
  'cron(0 4 31W * ? *)',
  'cron(0 6 ? * 6L *)',
  'cron(0 6 ? * FRI#3 *)',
  'cron(0 6 ? * L *)',
  'cron(0 0 29 2 ? *)',
  'cron(0 12 1-7 * ? *)',
  'cron(45 23 ? * 1,7 *)',
  'cron(45 23 ? * SUN,SAT *)',
  'cron(0 1,13 * JAN-MAR,OCT ? *)',
  'cron(5/20 */6 * * ? *)',
  'cron(0 0 1 1 ? 2027-2029)',
  'cron(0 0 ? * MON 2028)',
  'cron(0 0 1 */3 ? 2027/2)',
];

const ZONES = ['UTC', 'Asia/Kolkata', 'America/Sao_Paulo'];
const FROM = Date.UTC(2026, 11, 1, 7, 30);

describe("the product's and the sandbox's reading of AWS cron agree", () => {
  for (const timezone of ZONES) {
    it.each(EXPRESSIONS)(`%s in ${timezone}`, async (expression) => {
      const product = await productFires(expression, timezone, FROM);
      expect(product.length).toBeGreaterThan(0);
      expect(product).toEqual(sandboxFires(expression, timezone, FROM));
    });
  }
});

// What neither reading accepts: each refuses it before any evaluation, naming the expression. (A
// wrap-around range such as SAT-SUN is refused by both: AWS's reference shows none.)
const REFUSED = [
  'cron(0 10 * * * *)',
  'cron(0 10 ? * ? *)',
  'cron(60 10 * * ? *)',
  'cron(0 24 * * ? *)',
  'cron(0 0 32 * ? *)',
  'cron(0 0 ? 13 * *)',
  'cron(0 0 ? * 8 *)',
  'cron(0 0 ? * SAT-SUN *)',
  'cron(0 0 5-1 * ? *)',
  'cron(0 0 ? * 2#6 *)',
  'cron(0 0 L-3 * ? *)',
  'cron(0 0 * * ? 1969)',
  'cron(0 0 * * ? 2200)',
  'cron(0/0 0 * * ? *)',
  'cron(0 0 * * ?)',
  'cron(0 0 * * ? * *)',
];

describe('the product and the sandbox refuse the same malformed cron', () => {
  it.each(REFUSED)('%s', (expression) => {
    expect(() => parseSchedule(expression)).toThrow(/ScheduleExpression/);
    expect(() => nextFireAfter(expression, FROM)).toThrow(/invalid schedule expression/);
  });
});
