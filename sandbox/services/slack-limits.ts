/**
 * What Slack's incoming webhook refuses of a Block Kit payload, so that the sandbox answers a
 * summary Slack would not post the way Slack does: HTTP 400 with the error as the body ("Sending
 * messages using incoming webhooks", "Handling errors": `invalid_blocks`, ...).
 * - Documented (Block Kit reference): at most 50 blocks; a section's text at most 3,000
 *   characters; a header's at most 150.
 * - Not documented, observed: `msg_blocks_too_long` once the blocks hold more than about 12,000
 *   characters of text in all (Slack's engineers in slackapi/bolt-js#2509, "12,000 text characters
 *   with a buffer for block containers"). Seen on chat.postMessage; the stand-in applies it to the
 *   webhook too, the stricter reading.
 */
const MAX_BLOCKS = 50;
const MAX_SECTION_TEXT = 3_000;
const MAX_HEADER_TEXT = 150;
const MAX_BLOCKS_TEXT = 12_000;

const textOf = (value: unknown): string => {
  const text = (value as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' ? text : '';
};

/** Slack's error for `body`, or undefined when Slack would post it. A body without blocks is a plain `text` message. */
export const slackRefusal = (body: unknown): 'invalid_blocks' | 'msg_blocks_too_long' | undefined => {
  const blocks = (body as { blocks?: unknown } | null)?.blocks;
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks) || blocks.length > MAX_BLOCKS) return 'invalid_blocks';
  let total = 0;
  for (const block of blocks as { type?: unknown; text?: unknown; elements?: unknown }[]) {
    const text = textOf(block.text);
    if (block.type === 'section' && text.length > MAX_SECTION_TEXT) return 'invalid_blocks';
    if (block.type === 'header' && text.length > MAX_HEADER_TEXT) return 'invalid_blocks';
    total += text.length;
    if (Array.isArray(block.elements)) for (const element of block.elements) total += textOf(element).length;
  }
  return total > MAX_BLOCKS_TEXT ? 'msg_blocks_too_long' : undefined;
};
