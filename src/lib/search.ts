// Building blocks for text search in lists.

/** `text` as a LIKE / ILIKE pattern that matches only itself: `%`, `_` and `\` escaped (PostgreSQL's default escape is `\`). */
export function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** An ILIKE pattern matching `text` anywhere; `%`, `_` and `\` in it match themselves. */
export function containsPattern(text: string): string {
  return `%${likeEscaped(text)}%`;
}

/** The words of a search box, at most a few, so one query stays cheap. */
export function searchWords(text: string, max = 5): string[] {
  return text.split(/\s+/).filter(Boolean).slice(0, max);
}
