// Knowledge-base articles for bench/kb, in bulk SQL as the owner: `articles` in the first
// workspace and `others` in each of the rest, each a title and ~60 words drawn from an IT
// vocabulary (Italian and English), published for everyone. PostgreSQL computes the search vector.
import type pg from 'pg';

const IT = ['stampante', 'rete', 'password', 'posta', 'vpn', 'server', 'backup', 'cartella', 'condivisa', 'monitor', 'tastiera', 'accesso', 'utente',
  'aggiornamento', 'errore', 'connessione', 'lenta', 'perché', 'città', 'ufficio', 'telefono', 'licenza', 'installare', 'configurare', 'riavviare',
  'scanner', 'etichette', 'firewall', 'router', 'disco', 'memoria', 'fattura', 'programma', 'gestionale', 'calendario', 'riunione', 'videochiamata'];
const EN = ['printer', 'network', 'password', 'mail', 'vpn', 'server', 'backup', 'folder', 'shared', 'screen', 'keyboard', 'login', 'account',
  'update', 'error', 'connection', 'slow', 'office', 'phone', 'licence', 'install', 'configure', 'restart', 'scanner', 'labels', 'firewall',
  'router', 'disk', 'memory', 'invoice', 'software', 'calendar', 'meeting', 'video', 'driver', 'wireless', 'laptop'];

export async function seedArticles(owner: pg.Pool, { articles, others }: { articles: number; others: number }): Promise<void> {
  await owner.query(`insert into kb_categories (tenant_id, name, position) select t.id, 'Category ' || g, g from tenants t, generate_series(1, 5) g`);
  const insert = `insert into kb_articles (tenant_id, category_id, title, slug, body, body_html, body_text, status, visibility, language, published_at, updated_at)
    select t.id, (select c.id from kb_categories c where c.tenant_id = t.id order by c.id offset g % 5 limit 1),
      initcap(w.words[1 + (g * 7) % n]) || ' ' || w.words[1 + (g * 13) % n] || ' ' || w.words[1 + (g * 3) % n] || ' ' || g,
      'article-' || g, x.body, '<p>' || x.body || '</p>', x.body, 'published', 'everyone', w.lang, now(), now() - (g || ' minutes')::interval
    from tenants t cross join generate_series(1, $1) g
    cross join lateral (select case when g % 2 = 0 then 'it' else 'en' end as lang, case when g % 2 = 0 then $3::text[] else $4::text[] end as words) w0
    cross join lateral (select w0.lang, w0.words, array_length(w0.words, 1) as n) w
    cross join lateral (select string_agg(w.words[1 + ((g * 31 + k * k * 17 + k) % w.n)], ' ') as body from generate_series(1, 60) k) x
    where t.id = any($2::int[])`;
  const { rows } = await owner.query<{ id: number }>('select id from tenants order by id');
  await owner.query(insert, [articles, [rows[0].id], IT, EN]);
  await owner.query(insert, [others, rows.slice(1).map((r) => r.id), IT, EN]);
  await owner.query('vacuum analyze kb_articles');
}
