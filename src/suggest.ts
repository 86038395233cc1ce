// "Did you mean …?" (pure): the known name nearest to a mistyped one, when it is near enough to be a typo.

/** Edits (insert, delete, replace, swap two neighbours) from a to b: "idel" is 1 from "idle". */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row !== undefined) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The nearest known name within a third of its length in edits (at least 1, at most 3), or null. */
export function nearestName(wrong: string, known: readonly string[]): string | null {
  const typed = wrong.toLowerCase();
  let best: { name: string; distance: number } | null = null;
  for (const name of known) {
    const edits = editDistance(typed, name.toLowerCase());
    // A prefix ("long" for "long-block") is as good as one edit.
    const distance = name.toLowerCase().startsWith(typed) && typed.length >= 3 ? Math.min(edits, 1) : edits;
    if (best === null || distance < best.distance) best = { name, distance };
  }
  if (best === null) return null;
  return best.distance <= Math.min(3, Math.max(1, Math.floor(best.name.length / 3))) ? best.name : null;
}
