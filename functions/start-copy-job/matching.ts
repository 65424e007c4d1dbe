import { matchesAnyGlob, matchesGlob } from '../../shared/glob.js';
import type { CopyRule } from './rules.js';

/** What a rule is matched against: the vault that holds a new recovery point, and what it protects. */
export interface CopySource {
  readonly vaultName: string;
  /** AWS Backup's resource type name (`EBS`, `RDS`, ...); undefined when unknown. */
  readonly resourceType: string | undefined;
  readonly accountId: string;
  readonly region: string;
}

/** Whether one rule's `match` covers `source` (absent fields match anything). */
export function ruleMatches(rule: CopyRule, source: CopySource): boolean {
  const { sourceVault, resourceTypes, accounts, regions } = rule.match;
  if (sourceVault !== undefined && !matchesGlob(sourceVault, source.vaultName)) return false;
  if (resourceTypes !== undefined && !resourceTypes.includes('*')) {
    if (source.resourceType === undefined || !matchesAnyGlob(resourceTypes, source.resourceType)) return false;
  }
  if (accounts !== undefined && !accounts.includes(source.accountId)) return false;
  if (regions !== undefined && !regions.includes(source.region)) return false;
  return true;
}
