// `npm run migration:create -- Let a contact have two phone numbers`: writes the next
// numbered migration file, named from the sentence (migrations are one change per
// file, named as a sentence), and lists it in migrations/index.ts. The SQL is yours to write.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface CreatedMigration { name: string; className: string; file: string }

export function createMigration(dir: string, sentence: string): CreatedMigration {
  const words = sentence.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);
  if (words.length === 0) throw new Error('Name the migration with a sentence, e.g. "let a contact have two phone numbers".');
  const numbers = readdirSync(dir).map((f) => /^(\d{4})-.*\.ts$/.exec(f)?.[1]).filter(Boolean).map(Number);
  const number = String(Math.max(0, ...numbers) + 1).padStart(4, '0');
  const name = `${number}-${words.join('-')}`;
  const className = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('').replace(/^(\d)/, 'M$1');
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, `import { Migration } from '@mikro-orm/migrations';

/** ${sentence.trim().replace(/^./, (c) => c.toUpperCase()).replace(/\.?$/, '.')} */
export class ${className} extends Migration {
  async up(): Promise<void> {
    this.addSql('');
  }
}
`, { flag: 'wx' });
  const indexFile = join(dir, 'index.ts');
  const index = readFileSync(indexFile, 'utf8')
    .replace(/\n\nexport const migrationsList/, `\nimport { ${className} } from './${name}.js';\n\nexport const migrationsList`)
    .replace(/\n\];\s*$/, `\n  { name: '${name}', class: ${className} },\n];\n`);
  writeFileSync(indexFile, index);
  return { name, className, file };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const created = createMigration(resolve('migrations'), process.argv.slice(2).join(' '));
  process.stdout.write(`Created ${created.file} (listed in migrations/index.ts): write its SQL, then npm run migrate.\n`);
}
