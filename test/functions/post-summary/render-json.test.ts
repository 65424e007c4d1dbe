import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../functions/post-summary/render-json.js';
import schema from '../../../functions/post-summary/schemas/summary.schema.json' with { type: 'json' };
import { allGreenReport, badDayReport, hugeReport, incompleteReport } from './report-fixtures.js';

describe('renderJson', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  const validate = ajv.compile(schema);

  it.each([
    { day: 'all-green', report: allGreenReport() },
    { day: 'bad', report: badDayReport() },
    { day: 'incomplete', report: incompleteReport() },
    { day: 'huge', report: hugeReport(20) },
  ])('publishes a $day day as the report itself, valid against the schema', ({ report }) => {
    const json = JSON.parse(renderJson(report)) as unknown;
    expect(json).toEqual(JSON.parse(JSON.stringify(report)));
    expect(validate(json), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('keeps the report as is, schemaVersion first', () => {
    expect(renderJson(incompleteReport()).slice(0, 60)).toMatchInlineSnapshot(
      `"{"schemaVersion":"1.2","generatedAt":"2026-11-24T08:00:05.00"`,
    );
  });

  it.each([
    {
      broken: 'a missing field',
      edit: (r: Record<string, unknown>) => delete r.copyCoverage,
      error: "must have required property 'copyCoverage'",
    },
    {
      broken: 'a renamed field',
      edit: (r: Record<string, unknown>) => {
        r.silentMiss = r.silentMisses;
        delete r.silentMisses;
      },
      error: 'must NOT have additional properties',
    },
    {
      broken: 'another version',
      edit: (r: Record<string, unknown>) => {
        r.schemaVersion = '2.0';
      },
      error: 'must be equal to constant',
    },
    {
      broken: 'a negative count',
      edit: (r: Record<string, unknown>) => {
        (r.backup as Record<string, unknown>).total = -1;
      },
      error: 'must be >= 0',
    },
    {
      broken: 'a ratio above 1',
      edit: (r: Record<string, unknown>) => {
        (r.copyCoverage as Record<string, unknown>).ratio = 1.5;
      },
      error: 'must be <= 1',
    },
    {
      broken: 'a bad time',
      edit: (r: Record<string, unknown>) => {
        r.generatedAt = 'yesterday';
      },
      error: 'must match format "date-time"',
    },
  ])('rejects a report with $broken', ({ edit, error }) => {
    const json = JSON.parse(renderJson(badDayReport())) as Record<string, unknown>;
    edit(json);
    expect(validate(json)).toBe(false);
    expect(ajv.errorsText(validate.errors)).toContain(error);
  });
});
