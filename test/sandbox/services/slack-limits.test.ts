import { describe, expect, it } from 'vitest';
import { slackRefusal } from '../../../sandbox/services/slack-limits.js';

const section = (length: number) => ({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(length) } });

describe('slackRefusal', () => {
  it.each([
    { name: 'a plain text message', body: { text: 'hello' }, refused: undefined },
    { name: '50 blocks', body: { blocks: Array.from({ length: 50 }, () => section(10)) }, refused: undefined },
    { name: '51 blocks', body: { blocks: Array.from({ length: 51 }, () => section(10)) }, refused: 'invalid_blocks' },
    { name: 'a section of 3,000 characters', body: { blocks: [section(3_000)] }, refused: undefined },
    { name: 'a section of 3,001 characters', body: { blocks: [section(3_001)] }, refused: 'invalid_blocks' },
    {
      name: 'a header of 151 characters',
      body: { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
      refused: 'invalid_blocks',
    },
    { name: 'blocks not a list', body: { blocks: 'none' }, refused: 'invalid_blocks' },
    {
      name: '12,000 characters in four sections',
      body: { blocks: Array.from({ length: 4 }, () => section(3_000)) },
      refused: undefined,
    },
    {
      name: '12,001 characters, a context element included',
      body: {
        blocks: [
          ...Array.from({ length: 4 }, () => section(3_000)),
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'y' }] },
        ],
      },
      refused: 'msg_blocks_too_long',
    },
  ])('$name: $refused', ({ body, refused }) => {
    expect(slackRefusal(body)).toBe(refused);
  });
});
