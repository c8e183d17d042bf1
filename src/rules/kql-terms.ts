/**
 * KQL `has` matches whole terms: maximal runs of ASCII letters and digits (see
 * kql-reference/semantics.md §1.1), compared case-insensitively; a needle of several terms must
 * appear as consecutive terms. These helpers let generated rules drop needles that another needle
 * in the same `has_any` list already covers.
 */
export function kqlTerms(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

function containsRun(hay: string[], needle: string[]): boolean {
  if (needle.length === 0 || needle.length > hay.length) return false;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * The values of a `has_any` list that are not implied by another: `FleetDeck Inc` is dropped when
 * `FleetDeck` is present, since any text having `FleetDeck Inc` has `FleetDeck`. A value with no
 * ASCII term (a Chinese publisher name) is kept as is: engines differ on non-ASCII terms, so it is
 * neither dropped nor taken to cover anything. Order is kept; equal term runs keep the first.
 */
export function minimalHasList(values: readonly string[]): string[] {
  const terms = values.map(kqlTerms);
  return values.filter((_, i) => {
    const mine = terms[i]!;
    if (mine.length === 0) return true;
    return !terms.some((other, j) => {
      if (j === i || other.length === 0) return false;
      const same = other.length === mine.length && containsRun(mine, other);
      return same ? j < i : containsRun(mine, other);
    });
  });
}
