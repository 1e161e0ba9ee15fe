// Who an internal note mentions. The syntax (Admin > Notifications says it too): `@`
// followed by a technician's email (@anna@example.com), their name without spaces
// (@AnnaBianchi) or with dots, dashes or underscores for the spaces (@anna.bianchi), or
// their first name alone when no other active technician has it (@anna). Case does not
// matter. An @ inside a word (an email address written in the note) is not a mention.

export interface Mentionable { id: number; name: string; email: string }

const TOKEN = /(^|[^\p{L}\p{N}._%+-])@([\p{L}\p{N}][\p{L}\p{N}._%+'-]*(?:@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)?)/gu;
const fold = (s: string) => s.normalize('NFC').toLowerCase();
const squeeze = (s: string) => fold(s).replace(/[\s._-]+/g, '');

/** The technicians `text` mentions, each once, in the order of `technicians`. */
export function mentionedIn(text: string, technicians: readonly Mentionable[]): Mentionable[] {
  const tokens = [...text.matchAll(TOKEN)].map((m) => m[2].replace(/[.'-]+$/, ''));
  if (!tokens.length) return [];
  const firstNames = new Map<string, number>();
  for (const t of technicians) {
    const first = squeeze(t.name.trim().split(/\s+/)[0] ?? '');
    if (first) firstNames.set(first, (firstNames.get(first) ?? 0) + 1);
  }
  const found = new Set<number>();
  for (const token of tokens) {
    const lower = fold(token);
    const squeezed = squeeze(token);
    for (const t of technicians) {
      const first = squeeze(t.name.trim().split(/\s+/)[0] ?? '');
      if (lower === fold(t.email) || (squeezed && squeezed === squeeze(t.name)) || (squeezed === first && firstNames.get(first) === 1)) found.add(t.id);
    }
  }
  return technicians.filter((t) => found.has(t.id));
}
