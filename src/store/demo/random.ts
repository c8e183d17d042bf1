import { createHash } from 'node:crypto';

/**
 * A small seeded pseudo-random generator (a Weyl sequence finalised by a 32-bit avalanche mix).
 * Not cryptographic; what matters here is that the same key always yields the same stream on
 * every platform, so `socfeed demo --seed S --now T` is reproducible byte for byte.
 *
 * Streams are derived from string keys (`rngFor(seed, 'device', 3)`) instead of sharing one
 * sequence, so adding a kind of event to one device does not reshuffle every other device.
 */
export class Rng {
  private state: number;

  constructor(seed32: number) {
    this.state = seed32 >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits of precision (two draws). */
  next(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by relative weight (weights need not sum to 1). */
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T {
    let total = 0;
    for (const item of items) total += weightOf(item);
    let r = this.next() * total;
    for (const item of items) {
      r -= weightOf(item);
      if (r < 0) return item;
    }
    return items[items.length - 1]!;
  }

  /** A new list in random order (Fisher-Yates), the input is left alone. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** `k` distinct items (or all of them when `k` exceeds the list). */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, Math.min(k, items.length)));
  }

  /** Roughly normal (sum of uniforms), clamped to [min, max]; for times of day and durations. */
  around(mean: number, spread: number, min = -Infinity, max = Infinity): number {
    const n = (this.next() + this.next() + this.next() - 1.5) * 2; // ~[-3, 3], sd ~1
    return Math.min(max, Math.max(min, mean + n * spread));
  }
}

/** A 32-bit seed from any list of key parts (SHA-256 keeps unrelated keys uncorrelated). */
export function seedFromKey(...parts: readonly (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32LE(0);
}

export function rngFor(...parts: readonly (string | number)[]): Rng {
  return new Rng(seedFromKey(...parts));
}
