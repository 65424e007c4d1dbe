import { SUMMARY_SCHEMA_VERSION, type SummaryReport } from './report.js';

/**
 * Renders the report for machines: the {@link SummaryReport} as is, which
 * `functions/post-summary/schemas/summary.schema.json` documents (`schemaVersion` says which
 * version of it). Optional fields appear only when present (`toolkit`, `previous`, `trend`).
 */
export function renderJson(report: SummaryReport): string {
  return JSON.stringify({ ...report, schemaVersion: SUMMARY_SCHEMA_VERSION });
}
