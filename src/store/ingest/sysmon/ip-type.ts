/**
 * Defender's LocalIPType / RemoteIPType for an address Sysmon reports (Sysmon has no such field).
 * Uses Defender's vocabulary: Public, Private, Loopback, Reserved, Broadcast, Teredo,
 * FourToSixMapping. Ranges per RFC 1918 / 6890 / 4193 / 4291; an approximation of Defender's logic.
 */
export function ipType(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    if (a === 255 && b === 255 && c === 255 && d === 255) return 'Broadcast';
    if (a === 127) return 'Loopback';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'Private';
    if (
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 192 && b === 0 && (c === 0 || c === 2)) ||
      (a === 198 && (b === 18 || b === 19)) ||
      (a === 198 && b === 51 && c === 100) ||
      (a === 203 && b === 0 && c === 113) ||
      a >= 224
    ) {
      return 'Reserved';
    }
    return 'Public';
  }
  if (!ip.includes(':')) return undefined;
  const lower = ip.toLowerCase();
  if (lower === '::1' || /^0(:0){6}:1$/.test(lower)) return 'Loopback';
  if (/^(::ffff:|0:0:0:0:0:ffff:)/.test(lower)) return 'FourToSixMapping';
  if (/^2001:0?:/.test(lower) || lower.startsWith('2001:0000:')) return 'Teredo';
  const first = parseInt(lower.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return 'Private';
  if ((first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00 || lower === '::') return 'Reserved';
  return 'Public';
}
