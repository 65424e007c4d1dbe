import { createHash } from 'node:crypto';

/**
 * Deterministic ids. A stand-in names what it creates from what created it (the seed, the account,
 * the idempotency token...), never from arrival order, so concurrent calls still replay byte for
 * byte under the same seed.
 */
export const digest = (...parts: readonly (string | number)[]): Buffer =>
  createHash('sha256').update(parts.map(String).join('\u0000')).digest();

/** A version-4-shaped UUID from the parts (lower case, as AWS writes backup job ids). */
export const uuidFrom = (...parts: readonly (string | number)[]): string => {
  const hex = digest(...parts).toString('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** Hex of the given length from the parts (for snapshot ids, message ids and the like). */
export const hexFrom = (length: number, ...parts: readonly (string | number)[]): string =>
  digest(...parts)
    .toString('hex')
    .slice(0, length);
