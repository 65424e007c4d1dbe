/** Characters {@link redact} shows at most. */
const KEEP = 8;

/**
 * A redacted form of text that must never reach a log line or an error in full: a secret's name
 * (which may be the webhook URL itself, pasted where its name belongs) or anything read from a
 * secret. Shows at most the first 8 characters and never more than half of the
 * text, so a short name is not shown whole either, then `…` and the length: enough for a person to
 * recognise which value is meant, too little to use it. A cut never splits a surrogate pair.
 *
 * @example redact('hooks.slack.com/services/T0/B0/xyz') // 'hooks.sl… (34 characters)'
 * @example redact('slack') // 'sl… (5 characters)'
 */
export function redact(value: string): string {
  let head = value.slice(0, Math.min(KEEP, Math.floor(value.length / 2)));
  // A high surrogate last would be half a character: drop it rather than show a broken one.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}… (${value.length} character${value.length === 1 ? '' : 's'})`;
}
