/**
 * How much of a status message is read. AWS's messages are a sentence or two; a megabyte of text
 * (a hostile or broken event) must cost no more than a short one.
 */
export const MAX_MESSAGE_CHARS = 8192;

/** How much of a message a {@link Diagnosis} keeps for people to read. */
export const MAX_KEPT_CHARS = 4096;

// AWS wraps messages in literal quotes, sometimes escaped once more ("\"Backup job failed ...\""):
// the published EventBridge samples (eventbridge.html) carry both forms.
const ESCAPED_QUOTE = /\\+"/g;
const WHITESPACE = /\s+/g;
const SURROUNDING_QUOTES = /^(?:"\s*)+|(?:\s*")+$/g;
// partition:service:region:account:resource; region and account may be empty (arn:aws:s3:::bucket).
// The resource never ends in '.', so the full stop of a sentence stays outside the mask.
const ARN = /\barn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:\d*:[^\s"',;()[\]<>]*[^\s"',;()[\]<>.]/gi;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const RESOURCE_ID = /\b(?:vol|snap|ami|i|eni|fs|fsvol|sg|subnet|vpc)-[0-9a-f]{8,17}\b/gi;
// 12 digits, or 13 as in AWS's own samples (1112233445566).
const ACCOUNT = /\b\d{12,13}\b/g;

function unquote(text: string): string {
  return text
    .slice(0, MAX_MESSAGE_CHARS)
    .replace(ESCAPED_QUOTE, '"')
    .replace(WHITESPACE, ' ')
    .replace(SURROUNDING_QUOTES, '')
    .trim();
}

/**
 * Normalises an AWS status message for matching and grouping: escaped and surrounding quotes
 * removed (embedded ones too), whitespace collapsed, and ARNs, UUIDs (job ids), account ids and
 * EC2/EBS/EFS resource ids replaced by `<arn>`, `<uuid>`, `<account>`, `<resource-id>`, so two
 * failures with one cause read the same. Pure, idempotent, and bounded to the first
 * {@link MAX_MESSAGE_CHARS} characters.
 *
 * @example normalizeStatusMessage('"Backup job failed because backup vault arn:aws:backup:us-west-2:111122223333:backup-vault:x does not exist."')
 *   // 'Backup job failed because backup vault <arn> does not exist.'
 */
export function normalizeStatusMessage(text: string | undefined): string {
  if (!text) return '';
  return unquote(text)
    .replace(/"/g, '')
    .replace(ARN, '<arn>')
    .replace(UUID, '<uuid>')
    .replace(RESOURCE_ID, '<resource-id>')
    .replace(ACCOUNT, '<account>')
    .trim();
}

/**
 * The message as a person should read it: AWS's wrapping and escaped quotes removed, whitespace
 * collapsed, ARNs and ids kept (they say which vault or key), cut at {@link MAX_KEPT_CHARS} with `…`.
 * Returns `undefined` for an empty message.
 *
 * @example readableStatusMessage('"\\"Rate exceeded\\""') // 'Rate exceeded'
 */
export function readableStatusMessage(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const s = unquote(text);
  if (!s) return undefined;
  return s.length > MAX_KEPT_CHARS ? `${s.slice(0, MAX_KEPT_CHARS)}…` : s;
}
