import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DIAGNOSIS_CATEGORIES,
  DIAGNOSIS_TABLE,
  type DiagnosedKind,
  type DiagnosisRow,
  diagnoseJob,
  type JobFailure,
  normalizeStatusMessage,
  pickRow,
} from '../../../shared/diagnosis/index.js';

interface CorpusEntry {
  readonly message: string;
  readonly source: string;
  readonly origin: 'aws-backup-job' | 'aws-service-error';
  readonly kind: DiagnosedKind;
  readonly state: string;
  readonly resourceType?: string;
  /** The job record's vault facts (VaultType, VaultLockState), when the case depends on them. */
  readonly vault?: { readonly type?: string; readonly lockState?: string };
  readonly category: string;
  readonly retryable: boolean;
  readonly note?: string;
}

// Real AWS failure messages, verbatim, each with the page it was read from (corpus.json). None is
// written here: a message the table gets wrong is fixed in the table, not in the data.
const CORPUS: readonly CorpusEntry[] = (
  JSON.parse(readFileSync(new URL('./corpus.json', import.meta.url), 'utf8')) as { messages: CorpusEntry[] }
).messages;

const jobOf = (e: Pick<CorpusEntry, 'kind' | 'state' | 'message' | 'resourceType' | 'vault'>): JobFailure => ({
  kind: e.kind,
  state: e.state,
  statusMessage: e.message,
  ...(e.resourceType ? { resourceType: e.resourceType } : {}),
  ...(e.vault ? { vault: e.vault } : {}),
});

describe('the corpus of real AWS failure messages', () => {
  it('holds at least 40 distinct messages, each with a source page and a declared category', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CORPUS.map((e) => e.message)).size).toBe(CORPUS.length);
    expect(CORPUS.filter((e) => !/^https:\/\/\S+$/.test(e.source)).map((e) => e.message)).toEqual([]);
    const declared = DIAGNOSIS_CATEGORIES as readonly string[];
    expect(CORPUS.filter((e) => !declared.includes(e.category)).map((e) => e.category)).toEqual([]);
  });

  it.each(CORPUS)('$category (retry: $retryable): $message', (entry) => {
    const d = diagnoseJob(jobOf(entry));
    expect({ category: d.category, retryable: d.retryable }).toEqual({
      category: entry.category,
      retryable: entry.retryable,
    });
  });

  it('keeps unknown for what no row knows, rather than a guess', () => {
    const unknown = CORPUS.filter((e) => e.category === 'unknown');
    expect(unknown.length).toBeGreaterThanOrEqual(3);
    expect(unknown.every((e) => pickRow(jobOf(e)) === undefined)).toBe(true);
  });
});

/** A table example, with the kind and resource type its row applies to. */
const examplesOf = (row: DiagnosisRow) =>
  row.examples.map((message) => ({
    message,
    kind: row.kinds?.[0] ?? ('backup' as DiagnosedKind),
    state: 'FAILED',
    ...(row.resourceTypes?.[0] ? { resourceType: row.resourceTypes[0] } : {}),
  }));

const EVERY_MESSAGE = [...CORPUS, ...DIAGNOSIS_TABLE.flatMap(examplesOf)];

const answers = (table: readonly DiagnosisRow[]) =>
  EVERY_MESSAGE.map((e) => pickRow(jobOf(e), table)?.category ?? 'none');

describe('every row and every ordering is needed', () => {
  const baseline = answers(DIAGNOSIS_TABLE);

  // A row no message needs is a row no test can hold to its word.
  it.each(DIAGNOSIS_TABLE.map((row, index) => ({ category: row.category, index })))(
    'removing the $category row changes an answer',
    ({ index }) => {
      const without = DIAGNOSIS_TABLE.filter((_, i) => i !== index);
      expect(answers(without)).not.toEqual(baseline);
    },
  );

  const rowOf = (category: string): DiagnosisRow => {
    const row = DIAGNOSIS_TABLE.find((r) => r.category === category);
    if (!row) throw new Error(`no row ${category}`);
    return row;
  };

  // Messages that two rows match: the specific row must come first. Each case shows the overlap
  // is real (both rows match alone) and that swapping the two rows changes the answer.
  it.each([
    {
      specific: 'concurrency-limit',
      general: 'snapshot-limit',
      kind: 'copy',
      message: 'Too many snapshot copies in progress. The limit is 5 for this destination region.',
    },
    {
      specific: 'concurrency-limit',
      general: 'snapshot-limit',
      kind: 'copy',
      message:
        'An error occurred (SnapshotQuotaExceeded) when calling the CopyDBSnapshot operation: Cannot copy more than 5 snapshots across regions: SnapshotQuotaExceededFault',
    },
    {
      specific: 'too-many-copy-jobs',
      general: 'concurrency-limit',
      kind: 'copy',
      message: 'Too many copy jobs are in progress for this resource.',
    },
    {
      specific: 'restore-instance-profile',
      general: 'unsupported-resource',
      kind: 'restore',
      message:
        'AWS Backup does not permit attaching a new instance profile to an EC2 instance. Please restore using the backed up instance profile.',
    },
    {
      specific: 'restore-instance-profile',
      general: 'invalid-parameter',
      kind: 'restore',
      message:
        'InvalidParameterValue: Value (s3-access-for-ec2) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
    },
    {
      specific: 'restore-role-denied',
      general: 'access-denied',
      kind: 'restore',
      message:
        'You are not authorized to perform this operation. Please consult the permissions associated with your AWS Backup role(s), and refer to the AWS Backup documentation for more details.',
    },
    {
      specific: 'restore-network-gone',
      general: 'resource-not-found',
      kind: 'restore',
      message: "InvalidGroup.NotFound, AWS Error Message: The security group 'sg-########' does not exist",
    },
    {
      specific: 'vault-access-policy',
      general: 'access-denied',
      kind: 'copy',
      message: 'Access Denied trying to call AWS Backup service',
    },
    {
      specific: 'kms-service-linked-role',
      general: 'kms-key-not-shared',
      kind: 'restore',
      message:
        'The AWS Backup service-linked role AWSServiceRoleForBackup is not authorized to use the KMS key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    },
  ] as const)('$specific before $general: $message', ({ specific, general, kind, message }) => {
    const job: JobFailure = { kind, state: 'FAILED', statusMessage: message };
    const text = normalizeStatusMessage(message);
    const [a, b] = [rowOf(specific), rowOf(general)];
    expect(a.patterns?.some((p) => p.test(text))).toBe(true);
    expect(b.patterns?.some((p) => p.test(text))).toBe(true);
    expect(pickRow(job)?.category).toBe(specific);
    const swapped = DIAGNOSIS_TABLE.map((row) => (row === a ? b : row === b ? a : row));
    expect(pickRow(job, swapped)?.category).toBe(general);
  });

  it('does not let "maintenance" alone mean a maintenance window: a setting error is not retried', () => {
    const d = diagnoseJob({
      kind: 'backup',
      state: 'FAILED',
      statusMessage: 'InvalidParameterValue: The backup window and maintenance window must not overlap.',
    });
    expect(d).toMatchObject({ category: 'invalid-parameter', retryable: false });
  });
});
