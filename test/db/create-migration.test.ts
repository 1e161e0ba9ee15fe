import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigration } from '../../src/cli/create-migration.js';

describe('npm run migration:create', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    for (const f of readdirSync('migrations')) copyFileSync(join('migrations', f), join(dir, f));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the next numbered migration, named from a sentence, and lists it last in the index', () => {
    const last = Math.max(...readdirSync('migrations').map((f) => Number(/^(\d{4})-/.exec(f)?.[1] ?? 0)));
    const created = createMigration(dir, 'Let a contact have two phone numbers');
    const number = String(last + 1).padStart(4, '0');
    expect(created.name).to.equal(`${number}-let-a-contact-have-two-phone-numbers`);
    expect(readFileSync(created.file, 'utf8')).to.contain('export class LetAContactHaveTwoPhoneNumbers extends Migration');
    const index = readFileSync(join(dir, 'index.ts'), 'utf8');
    expect(index).to.contain(`import { LetAContactHaveTwoPhoneNumbers } from './${created.name}.js';`);
    expect(index.trimEnd()).to.match(new RegExp(`\\{ name: '${created.name}', class: LetAContactHaveTwoPhoneNumbers \\},\\n\\];$`));
  });
});
