/** Small, pure conversions from Sysmon field text to Defender column values. */

/** Sysmon writes "-" for "no value"; Defender has empty strings. */
export function clean(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v);
  return s === '-' ? '' : s;
}

/** File name of a Windows (or POSIX) path: `C:\Windows\System32\cmd.exe` → `cmd.exe`. */
export function baseName(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return i < 0 ? path : path.slice(i + 1);
}

/** `DOMAIN\user` → [domain, user]; a bare name has an empty domain. */
export function splitUser(user: string | undefined): [string, string] | undefined {
  if (user === undefined || user === '') return undefined;
  const i = user.indexOf('\\');
  return i < 0 ? ['', user] : [user.slice(0, i), user.slice(i + 1)];
}

/** `SHA1=..,MD5=..,SHA256=..,IMPHASH=..` → lower-case hex per algorithm (Defender's spelling). */
export function splitHashes(hashes: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!hashes) return out;
  for (const part of hashes.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0)
      out[part.slice(0, eq).trim().toUpperCase()] = part
        .slice(eq + 1)
        .trim()
        .toLowerCase();
  }
  return out;
}

/** Sysmon LogonId `0x3e7` → decimal text of the 64-bit value (Defender's LogonId is a long). */
export function hexToDecimal(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const s = v.trim();
  if (/^0x[0-9a-f]+$/i.test(s)) return BigInt(s).toString();
  if (/^\d+$/.test(s)) return s;
  return s; // left as is: the bulk pass rejects it with a reason if it is not a number
}

const HIVES: Record<string, string> = {
  HKLM: 'HKEY_LOCAL_MACHINE',
  HKU: 'HKEY_USERS',
  HKCU: 'HKEY_CURRENT_USER',
  HKCR: 'HKEY_CLASSES_ROOT',
  HKCC: 'HKEY_CURRENT_CONFIG',
};

/** Sysmon abbreviates hives (`HKLM\...`); Defender spells them out (`HKEY_LOCAL_MACHINE\...`). */
export function expandHive(path: string): string {
  const i = path.indexOf('\\');
  const head = i < 0 ? path : path.slice(0, i);
  const full = HIVES[head.toUpperCase()];
  return full ? full + (i < 0 ? '' : path.slice(i)) : path;
}

/** `key\value` → [key, value] (registry value events name the value as the last path segment). */
export function splitValuePath(path: string): [string, string] {
  const i = path.lastIndexOf('\\');
  return i < 0 ? ['', path] : [path.slice(0, i), path.slice(i + 1)];
}

/**
 * Sysmon EID 13 `Details` → Defender RegistryValueType and RegistryValueData:
 * `DWORD (0x0000010b)` → Dword, "267"; `QWORD (0x00000001-0x00000000)` → Qword (high-low) as decimal;
 * `Binary Data` → Binary, ""; anything else is string data (Sysmon does not say which string type).
 */
export function registryDetails(details: string | undefined): { type: string; data: string } {
  if (details === undefined || details === '') return { type: '', data: '' };
  const dword = /^DWORD \((0x[0-9a-fA-F]+)\)$/.exec(details);
  if (dword) return { type: 'Dword', data: BigInt(dword[1]!).toString() };
  const qword = /^QWORD \((0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\)$/.exec(details);
  if (qword) return { type: 'Qword', data: ((BigInt(qword[1]!) << 32n) + BigInt(qword[2]!)).toString() };
  if (details === 'Binary Data') return { type: 'Binary', data: '' };
  return { type: 'String', data: details };
}

/** Sysmon protocol names → Defender's (`tcp` → `Tcp`). */
export function protocolName(p: string | undefined): string | undefined {
  if (!p) return p;
  return p.charAt(0).toUpperCase() + p.slice(1).toLowerCase();
}

/** Normalised key of a Sysmon GUID (`{39E4A257-...}` and `39e4a257-...` are the same process). */
export function guidKey(g: unknown): string | undefined {
  if (typeof g !== 'string' || g === '' || g === '-') return undefined;
  const k = g.replace(/[{}]/g, '').toLowerCase();
  return /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(k) ? undefined : k;
}
