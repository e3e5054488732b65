/**
 * Compare two strings by Unicode code point (what PostgreSQL `COLLATE "C"`, MongoDB and Redis byte-wise order
 * give for UTF-8), not by UTF-16 code unit as `<` does. They differ only when an astral character (a surrogate
 * pair) meets a character in U+E000–U+FFFF. Assumes well-formed strings (validation rejects lone surrogates).
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (astral characters) above U+E000–U+FFFF so code units sort in code point order. */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
