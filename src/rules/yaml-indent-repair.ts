/**
 * A narrow repair for one slip common in published rule YAML (all 168 files of the jischell-msft
 * RMM queries, and their copies in Azure-Sentinel):
 *
 *     requiredDataConnectors:
 *         - connectorId: MicrosoftThreatProtection
 *         dataTypes:                  ← meant as a key of the list item, written at the dash's column
 *             - DeviceProcessEvents
 *
 * YAML rejects it (`dataTypes` cannot be a sibling of `requiredDataConnectors`, which sits further
 * left, nor part of the item, which starts two columns further right); the `yaml` package reports
 * BAD_INDENT and moves `dataTypes` to the top level. The author's intent is unambiguous, so the
 * key and the lines under it are shifted right by two spaces to sit inside the item.
 *
 * Only lines are re-indented (nothing is removed or joined), so every line keeps its number and
 * every column outside the repaired lines stays where it was. The caller re-parses the result and
 * accepts it only if the whole document is then valid.
 */

export interface IndentRepair {
  text: string;
  /** 1-based numbers of the lines that were moved. */
  lines: number[];
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const isBlank = (line: string): boolean => /^\s*(#.*)?$/.test(line);
const ITEM_WITH_KEY = /^(\s*)- +[^\s#'"-][^:]*:(\s|$)/;
const PLAIN_KEY = /^\s*[^\s#'"-][^:]*:(\s|$)/;

export function repairDashAlignedKeys(text: string): IndentRepair | undefined {
  // Keep each line's own ending (the upstream files are CRLF) by splitting after the newline.
  const lines = text.split(/(?<=\n)/);
  const moved: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const item = ITEM_WITH_KEY.exec(lines[i]!);
    if (!item) continue;
    const dash = item[1]!.length;
    // The list must be indented under its parent key; an "indentless" list at the parent's column
    // is valid YAML and its next key really is the parent's sibling.
    let p = i - 1;
    while (p >= 0 && (isBlank(lines[p]!) || indentOf(lines[p]!) >= dash)) p--;
    if (p < 0 || !/:\s*$/.test(lines[p]!.replace(/\s#.*$/, ''))) continue;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (isBlank(line)) continue;
      const ind = indentOf(line);
      if (ind > dash) continue; // the item's own continuation, already inside it
      if (ind === dash && PLAIN_KEY.test(line) && !line.trimStart().startsWith('- ')) {
        // The slip: shift this key and everything under it.
        let k = j;
        for (; k < lines.length; k++) {
          const l = lines[k]!;
          if (k > j && !isBlank(l) && indentOf(l) <= dash) break;
          if (!isBlank(l)) {
            lines[k] = '  ' + l;
            moved.push(k + 1);
          }
        }
        j = k - 1;
        continue;
      }
      break;
    }
  }
  return moved.length > 0 ? { text: lines.join(''), lines: moved } : undefined;
}
