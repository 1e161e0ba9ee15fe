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

// { profile: 'start' } and { profile: 'stop', file }: a CPU profile of what the server does in
// between (bench/login's BENCH_PROFILE: the sign-ins alone, not the forms loaded before them).
let profiler;
process.on('message', async (m) => {
  if (m?.profile === 'start') {
    const { Session } = await import('node:inspector');
    profiler = new Session();
    profiler.connect();
    const post = (method, params) => new Promise((resolve, reject) => profiler.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
    profiler.call = post;
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
    await post('Profiler.start');
    process.send?.({ profile: 'started' });
  } else if (m?.profile === 'stop' && profiler) {
    const { profile } = await profiler.call('Profiler.stop');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(m.file, JSON.stringify(profile));
    profiler.disconnect();
    profiler = undefined;
    process.send?.({ profile: 'stopped' });
  }
});
