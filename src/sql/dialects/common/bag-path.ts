/**
 * A bag key as Kusto's bag functions take it: a property name, or a JSON path `$.a.b` /
 * `$['a']['b']` into nested bags. Returns the property names along the path; undefined when the
 * text starts with `$` but is not such a path. Shared so both engines cut paths the same way.
 */
export function parseBagPath(key: string): string[] | undefined {
  if (!key.startsWith('$')) return [key];
  const parts: string[] = [];
  const step = /\.([A-Za-z_]\w*)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let i = 1;
  while (i < key.length) {
    step.lastIndex = i;
    const m = step.exec(key);
    if (!m) return undefined;
    parts.push(m[1] ?? m[2] ?? m[3]!);
    i = step.lastIndex;
  }
  return parts.length ? parts : undefined;
}
