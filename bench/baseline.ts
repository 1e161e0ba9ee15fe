// The baseline: a bare express + pg + ejs handler running the same list query
// (ticket rows joined with customer, contact and assignee, 50 a page, plus the
// count) and a similar template, with no ORM, no RLS, no sessions.
import ejs from 'ejs';
import express from 'express';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const template = ejs.compile(`<!doctype html><html><head><title>Tickets</title><link rel="stylesheet" href="/public/app.css"></head><body>
<header class="topbar"><a class="brand" href="/"><%= tenant %></a></header><main><h1>Tickets</h1><p><%= total %> tickets</p>
<table class="list"><thead><tr><th>#</th><th>Title</th><th>Customer</th><th>Requester</th><th>Status</th><th>Priority</th><th>Assignee</th><th>Updated</th></tr></thead><tbody>
<% rows.forEach(function (t) { %><tr><td><a href="/tickets/<%= t.number %>">#<%= t.number %></a></td><td><%= t.title %></td><td><%= t.customer %></td><td><%= t.first_name %> <%= t.last_name %></td>
<td><span class="badge <%= t.status %>"><%= t.status %></span></td><td><%= t.priority %></td><td><%= t.assignee || '—' %></td><td><%= t.updated_at.toISOString() %></td></tr><% }) %>
</tbody></table></main></body></html>`);

const app = express();
app.get('/tickets', async (req, res) => {
  const tenantId = Number(req.query.tenant ?? 1);
  const contactId = req.query.contact ? Number(req.query.contact) : undefined;
  const where = contactId ? 't.tenant_id = $1 and t.contact_id = $2' : 't.tenant_id = $1';
  const params = contactId ? [tenantId, contactId] : [tenantId];
  const [rows, count] = await Promise.all([
    pool.query(`select t.number, t.title, t.status, t.priority, t.updated_at, c.name as customer, ct.first_name, ct.last_name, tc.name as assignee
      from tickets t join customers c on c.id = t.customer_id join contacts ct on ct.id = t.contact_id left join technicians tc on tc.id = t.assignee_id
      where ${where} order by t.updated_at desc, t.id desc limit 50`, params),
    pool.query(`select count(*)::int as n from tickets t where ${where}`, params),
  ]);
  res.type('html').send(template({ tenant: 'Bench', rows: rows.rows, total: count.rows[0].n }));
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
