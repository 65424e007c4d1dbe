import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.js';

/**
 * A deterministic, UUID-shaped idempotency token for StartBackupJob / StartCopyJob.
 *
 * AWS: "Retrying a successful request with the same idempotency token results in a success message
 * with no action taken" (API_StartBackupJob). The SDK fills a random UUID when the token is omitted,
 * which makes a re-sent request a second job; deriving the token from the intent (original job id
 * and attempt, or source recovery point, destination and hop) makes a re-send after a crash a no-op.
 *
 * The token is a SHA-256 of the parts (length-prefixed, so `('a','bc')` and `('ab','c')` differ),
 * formatted as an RFC 4122 version-5-style UUID.
 *
 * @example idempotencyToken('4A1B…', 2) // same parts, same token, in every container
 */
export function idempotencyToken(...parts: readonly (string | number)[]): string {
  if (parts.length === 0) throw new ValidationError('idempotencyToken.parts', parts, 'must not be empty');
  const hash = createHash('sha256');
  for (const [index, part] of parts.entries()) {
    if (typeof part === 'number' ? !Number.isFinite(part) : part === '') {
      throw new ValidationError(
        `idempotencyToken.parts[${index}]`,
        part,
        'must be a non-empty string or a finite number',
      );
    }
    const text = `${typeof part}:${part}`;
    hash.update(`${Buffer.byteLength(text)}:${text}|`);
  }
  const bytes = hash.digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5 (name-based, SHA)
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
