/** True when a path argument is a glob pattern rather than a literal path. */
export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/**
 * A glob over '/'-separated paths as a RegExp: `*` and `?` stay within one segment, `**` spans
 * segments (also none), `[abc]`/`[!a-z]` are classes, `{a,b}` alternatives. Dot files are matched
 * only by patterns that spell the dot.
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        const slashAfter = pattern[i + 2] === '/';
        const atSegmentStart = i === 0 || pattern[i - 1] === '/';
        i += slashAfter ? 2 : 1;
        re += atSegmentStart && slashAfter ? '(?:[^/.][^/]*/)*' : '.*';
      } else {
        const atSegmentStart = i === 0 || pattern[i - 1] === '/';
        re += atSegmentStart ? '(?:[^/.][^/]*)?' : '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (ch === '{') {
      braces++;
      re += '(?:';
    } else if (ch === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (ch === ',' && braces > 0) {
      re += '|';
    } else {
      re += ch.replace(/[.+^$()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** The longest leading part of a pattern without glob characters: where the directory walk starts. */
export function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const base: string[] = [];
  for (const s of segments) {
    if (isGlob(s)) break;
    base.push(s);
  }
  if (base.length === segments.length) base.pop();
  const joined = base.join('/');
  return joined === '' ? (pattern.startsWith('/') ? '/' : '.') : joined;
}
