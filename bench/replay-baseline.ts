// The bare handler for the pages that have no hand-written one (bench/baseline.ts): express
// + pg + ejs running the very statements a Sportello page sent for one request (recorded by
// bench/statements.mjs, given here over IPC as { replay: name, statements }), the data ones
// only — no transaction, RLS settings or session — all at once on a pool, and a plain
// template drawing every row they return. No ORM, no RLS, no sessions.
import ejs from 'ejs';
import express from 'express';
import pg from 'pg';
import type { Statement } from './machinery.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const pages = new Map<string, Statement[]>();
const template = ejs.compile(`<!doctype html><html><head><title><%= name %></title><link rel="stylesheet" href="/public/app.css"></head><body>
<header class="topbar"><a class="brand" href="/">Bench</a></header><main><h1><%= name %></h1>
<% results.forEach(function (rows) { %><table class="list"><tbody>
<% rows.forEach(function (row) { %><tr><% for (const key in row) { %><td><%= row[key] instanceof Date ? row[key].toISOString() : row[key] %></td><% } %></tr>
<% }) %></tbody></table><% }) %></main></body></html>`);

process.on('message', (m: { replay?: string; statements?: Statement[] }) => {
  if (!m?.replay) return;
  pages.set(m.replay, m.statements ?? []);
  process.send?.({ replayed: m.replay });
});

const app = express();
app.get('/replay/:page', async (req, res) => {
  const statements = pages.get(req.params.page);
  if (!statements) return void res.status(404).send('no such page');
  const results = await Promise.all(statements.map((s) => pool.query(s.text, s.values)));
  res.type('html').send(template({ name: req.params.page, results: results.map((r) => r.rows) }));
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
