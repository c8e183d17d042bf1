import { createHash } from 'node:crypto';

/**
 * Identifiers that look like the real thing and are derived from a key, so the same binary has
 * the same hashes on every device (as in a real estate) and every run yields the same values.
 * None of these are hashes of real files.
 */
export function hexOf(algorithm: 'sha1' | 'sha256' | 'md5', key: string): string {
  return createHash(algorithm).update(key).digest('hex');
}

export interface FileHashes {
  SHA1: string;
  SHA256: string;
  MD5: string;
}

export function fileHashesOf(key: string): FileHashes {
  const k = `socfeed-demo-file:${key}`;
  return { SHA1: hexOf('sha1', k), SHA256: hexOf('sha256', k), MD5: hexOf('md5', k) };
}

/** Lowercase GUID text, `8-4-4-4-12`. */
export function guidOf(key: string): string {
  const h = hexOf('sha256', `socfeed-demo-guid:${key}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** 40 lowercase hex characters, the shape of a Defender DeviceId. */
export function deviceIdOf(key: string): string {
  return hexOf('sha1', `socfeed-demo-device:${key}`);
}

/** An unsigned integer below 2^48 from a key (certificate serials, process start keys). */
export function numberOf(key: string): number {
  return parseInt(hexOf('sha256', `socfeed-demo-n:${key}`).slice(0, 12), 16);
}
