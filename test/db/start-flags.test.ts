// The node flags Sportello starts with (they keep the web process's RSS under 300 MB under
// load: README, Production) are the same however it is started — `npm start`, `npm run
// start:prod`, the Dockerfile's CMD — and the benchmarks take them from start:prod, so they
// measure the server as production runs it. Node must accept them: a flag it does not know
// stops the product from starting.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

const root = path.resolve(import.meta.dirname, '../..');
const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;

/** The flags before the script in a `node …` command line (`--import tsx` is how the sources run, not a flag of ours). */
function nodeFlags(words: string[]): string[] {
  expect(words[0]).to.equal('node');
  const flags: string[] = [];
  for (let i = 1; i < words.length && words[i].startsWith('--'); i++) {
    if (words[i] === '--import') i++;
    else flags.push(words[i]);
  }
  return flags;
}

function dockerCmd(): string[] {
  const line = readFileSync(path.join(root, 'Dockerfile'), 'utf8').split('\n').find((l) => l.startsWith('CMD '));
  expect(line, 'the Dockerfile has a CMD').to.be.a('string');
  return JSON.parse(line!.slice(4)) as string[];
}

describe('The node flags Sportello starts with', () => {
  const prod = nodeFlags(scripts['start:prod'].split(/\s+/));

  it('bound the heap\'s growth between full collections', () => {
    expect(prod).to.include('--heap-growing-percent=50');
  });

  it('are the same for npm start, npm run start:prod, npm run poll and the Dockerfile', () => {
    expect(nodeFlags(scripts.start.split(/\s+/))).to.deep.equal(prod);
    expect(nodeFlags(scripts.poll.split(/\s+/))).to.deep.equal(prod);
    const cmd = dockerCmd();
    expect(nodeFlags(cmd)).to.deep.equal(prod);
    expect(cmd[cmd.length - 1]).to.equal('dist/src/server.js');
  });

  it('are accepted by this node', () => {
    const out = execFileSync(process.execPath, [...prod, '-e', "console.log(JSON.stringify(process.execArgv.slice(0, -2)))"], { encoding: 'utf8' });
    expect(JSON.parse(out)).to.deep.equal(prod);
  });
});
