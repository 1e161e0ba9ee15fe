// The knowledge-base baseline: a bare express + pg handler running the very same search
// (domain/kb/reading.ts searchArticles, the same prepared statement) for an anonymous visitor,
// with a similar template — no ORM, no RLS, no transaction, no sessions.
import ejs from 'ejs';
import express from 'express';
import pg from 'pg';
import { Sql } from '../src/db/sql.js';
import { ANONYMOUS, searchArticles } from '../src/domain/kb/reading.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const template = ejs.compile(`<!doctype html><html><head><title>Search</title><link rel="stylesheet" href="/public/app.css"></head><body>
<header class="topbar"><a class="brand" href="/portal">Bench</a></header><main><h1>Search results</h1><p><%= total %> articles</p>
<ol class="kb-results"><% hits.forEach(function (h) { %><li class="card"><h2><a href="/portal/kb/<%= h.slug %>"><%- h.titleHtml %></a></h2><p><%= h.category %></p><p><%- h.snippetHtml %></p></li><% }) %></ol></main></body></html>`);

const app = express();
app.get('/search', async (req, res) => {
  const client = await pool.connect();
  try {
    // The search function keeps to the connection's workspace (app.tenant_id), as the app's unit of work sets it.
    const tenant = Number(req.query.tenant ?? 1);
    const tagged = client as pg.PoolClient & { tenant?: number };
    if (tagged.tenant !== tenant) { await client.query("select set_config('app.tenant_id', $1, false)", [String(tenant)]); tagged.tenant = tenant; }
    const { hits, total } = await searchArticles(new Sql(tenant, client), ANONYMOUS, String(req.query.q ?? ''), 1);
    res.type('html').send(template({ hits, total }));
  } finally {
    client.release();
  }
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
