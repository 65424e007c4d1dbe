/**
 * Normalises an AWS status message for matching and grouping: AWS wraps messages in literal quotes
 * (`"\"Backup job failed ...\""`, eventbridge.html samples) and embeds ARNs, account ids and job
 * ids, so two failures of the same cause differ in text. Quotes are stripped, whitespace collapsed,
 * and ARNs, UUIDs, account ids and EC2/RDS resource ids replaced by placeholders. Idempotent.
 *
 * @example normalizeStatusMessage('"Backup vault arn:aws:backup:…:backup-vault:x does not exist."')
 *   // 'Backup vault <arn> does not exist.'
 */
export const normalizeStatusMessage = (text: string | undefined): string => {
  if (!text) return '';
  // Bounded: a message is one sentence; a megabyte of text must not cost a megabyte of regex work.
  let s = text.slice(0, 8192).replace(/\\"/g, '"').replace(/\s+/g, ' ').trim();
  while (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1).trim();
  return s
    .replace(/\barn:[a-z0-9-]+:[a-z0-9-]*:[^\s"',;)]*/gi, '<arn>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b(?:vol|snap|ami|i|eni|fs|fsvol|sg|subnet)-[0-9a-f]{8,17}\b/gi, '<resource-id>')
    .replace(/\b\d{12,13}\b/g, '<account>');
};
