import {
  type BackupClient,
  type BackupPlansListMember,
  type BackupSelectionsListMember,
  paginateListBackupPlans,
  paginateListBackupSelections,
} from '@aws-sdk/client-backup';
import { ValidationError } from '../errors.js';
import { compact } from '../objects.js';
import { type ListOptions, MAX_PAGE_SIZE } from './filters.js';
import { checkPageSize, pageItems } from './pages.js';

/** ListBackupPlans' one filter (API_ListBackupPlans). */
export interface BackupPlanFilter {
  /** Also list deleted plans (IncludeDeleted); default false: the plans that run today. */
  readonly includeDeleted?: boolean;
}

/**
 * Lists the backup plans of the caller's account and Region (ListBackupPlans: name, id, ARN,
 * current VersionId, CreationDate, LastExecutionDate; not the rules: GetBackupPlan has them), page
 * by page (1000 a page by default). Throws a ValidationError at once for a bad page size or filter.
 *
 * @example for await (const plan of listBackupPlans(client)) …
 */
export function listBackupPlans(
  client: BackupClient,
  filter: BackupPlanFilter = {},
  options: ListOptions = {},
): AsyncIterable<BackupPlansListMember> {
  checkPageSize(options.pageSize, MAX_PAGE_SIZE);
  if (filter.includeDeleted !== undefined && typeof filter.includeDeleted !== 'boolean') {
    throw new ValidationError('includeDeleted', filter.includeDeleted, 'must be a boolean');
  }
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  const input = compact({ IncludeDeleted: filter.includeDeleted });
  return pageItems(
    'ListBackupPlans',
    () => paginateListBackupPlans({ client, pageSize }, { ...input }, { abortSignal: options.signal }),
    (page) => page.BackupPlansList,
  );
}

/**
 * Lists a backup plan's resource selections (ListBackupSelections: name, id, IamRoleArn,
 * CreationDate; the resources and conditions are GetBackupSelection's). A plan with none backs
 * nothing up. Throws a ValidationError at once for an empty plan id or a bad page size.
 */
export function listBackupSelections(
  client: BackupClient,
  backupPlanId: string,
  options: ListOptions = {},
): AsyncIterable<BackupSelectionsListMember> {
  if (typeof backupPlanId !== 'string' || backupPlanId.trim() === '' || backupPlanId.length > 1024) {
    throw new ValidationError('backupPlanId', backupPlanId, 'must be a non-empty string');
  }
  checkPageSize(options.pageSize, MAX_PAGE_SIZE);
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  return pageItems(
    'ListBackupSelections',
    () =>
      paginateListBackupSelections(
        { client, pageSize },
        { BackupPlanId: backupPlanId },
        { abortSignal: options.signal },
      ),
    (page) => page.BackupSelectionsList,
  );
}
