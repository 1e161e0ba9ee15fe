// Preloaded into a benchmarked server (`node --import ./bench/statements.mjs`): counts the
// SQL statements it sends (every pg module in node_modules: the ORM has its own copy) and
// answers the bench over IPC — { statements: 'mark' } → the count so far, and the statements
// sent since the last mark (text and values), so a page's statements can be counted and replayed.
// Plain JavaScript, so the production build (no tsx) can preload it too.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'package.json'));
let count = 0;
let sent = [];
for (const dir of ['pg', '@mikro-orm/postgresql/node_modules/pg']) {
  const folder = path.join(process.cwd(), 'node_modules', dir);
  if (!existsSync(folder)) continue;
  const Client = require(folder).Client;
  const query = Client.prototype.query;
  Client.prototype.query = function (config, values, callback) {
    count++;
    const text = typeof config === 'string' ? config : config?.text;
    const vals = Array.isArray(values) ? values : config?.values;
    if (sent.length < 1000) sent.push({ text, values: vals ?? [] });
    return query.call(this, config, values, callback);
  };
}
process.on('message', (m) => {
  if (m?.statements !== 'mark') return;
  process.send?.({ statements: count, sent: JSON.parse(JSON.stringify(sent)) });
  sent = [];
});
