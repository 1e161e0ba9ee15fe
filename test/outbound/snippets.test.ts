import { expect } from 'chai';
import { Contact } from '../../src/domain/contact/contact.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { Ticket } from '../../src/domain/ticket/ticket.js';
import { credentialMarkersIn, MASK, masked, PORTAL_PASSWORD, PORTAL_PASSWORD_LINK } from '../../src/outbound/credentials.js';
import { normalSnippetName, portalPasswordAsLink, renderSnippets, snippetMenu, snippetNames, SNIPPETS, unknownSnippets, usesCredentials, usesPortalPassword } from '../../src/domain/email/snippets.js';
import { editions } from '../../src/domain/tenant/terms.js';

const tenant = (edition: 'msp' | 'it') => Object.assign(new Tenant(), { id: 1, slug: 'acme', name: 'Acme & Sons', edition, plan: 'pro' as const });
const contact = Object.assign(new Contact(), { id: 7, email: 'mario@rossi.test', firstName: '<script>x</script>', lastName: 'Rossi', customer: { name: 'Rossi "Impianti"' } });

describe('Snippets', () => {
  it('resolves plain snippets and keeps credentials as their markers', () => {
    const out = renderSnippets('{[Portal Address]} {[ portal username ]} {[Portal Password]} {[Portal Password Link]} {[Company Name]}', { tenant: tenant('msp'), contact });
    expect(out).to.equal(`http://acme.localhost:3000/portal mario@rossi.test ${PORTAL_PASSWORD} ${PORTAL_PASSWORD_LINK} Acme & Sons`);
  });

  it('takes the IT edition\'s own words as well as the product\'s, and offers its own words', () => {
    expect(unknownSnippets('{[User First Name]} {[Site Name]} {[Contact Email]} {[Customer Name]}', 'it')).to.deep.equal([]);
    expect(unknownSnippets('{[User First Name]} {[Site Name]}', 'msp')).to.deep.equal(['User First Name', 'Site Name']);
    const names = snippetMenu({ language: 'en', edition: 'it' }).flatMap((g) => g.names);
    expect(names).to.include('User First Name').and.include('Site Name').and.not.include('Contact First Name');
    expect(renderSnippets('{[User Last Name]} / {[Site Name]}', { tenant: tenant('it'), contact })).to.equal('Rossi / Rossi "Impianti"');
  });

  it('escapes values in HTML bodies and links the links', () => {
    const html = renderSnippets('Hi {[Contact First Name]} <of> {[Customer Name]}\n{[Portal Password Link]}', { tenant: tenant('msp'), contact }, { html: true });
    expect(html).to.contain('Hi &lt;script&gt;x&lt;/script&gt; &lt;of&gt; Rossi &#34;Impianti&#34;<br>');
    expect(html).to.contain(`<a href="${PORTAL_PASSWORD_LINK}">${PORTAL_PASSWORD_LINK}</a>`);
    expect(html).not.to.contain('<script>');
  });

  it('never lets a value become a snippet or a credential marker', () => {
    const ticket = Object.assign(new Ticket(), { number: 1001, title: 'Give me {[Portal Password]}', status: 'open', priority: 'high', description: '' });
    const out = renderSnippets('Re: {[Ticket Title]} ({[Ticket Priority]})', { tenant: tenant('msp'), contact, ticket });
    expect(out).to.equal('Re: Give me { [Portal Password]} (High)');
    expect(out).not.to.contain('{[Portal Password]}');
  });
});

describe('Snippets: values side by side', () => {
  const ctxWith = (over: { title?: string; description?: string; firstName?: string; lastName?: string; customer?: string; company?: string }) => {
    const c = Object.assign(new Contact(), { id: 7, email: 'mario@rossi.test', firstName: over.firstName ?? 'Mario', lastName: over.lastName ?? 'Rossi', customer: { name: over.customer ?? 'Rossi Impianti' } });
    const ticket = Object.assign(new Ticket(), { number: 1001, title: over.title ?? 'Printer', status: 'open', priority: 'high', description: over.description ?? '', customer: c.customer });
    const t = Object.assign(tenant('msp'), { name: over.company ?? 'Acme & Sons' });
    return { tenant: t, contact: c, ticket };
  };
  const cases: Array<[string, string, Parameters<typeof ctxWith>[0]]> = [
    ['a title ending in { and a description starting with [Portal Password]}', '{[Ticket Title]}{[Ticket Description]}', { title: 'Locked out {', description: '[Portal Password]} please' }],
    ['a first name and a last name', '{[Contact First Name]}{[Contact Last Name]}', { firstName: 'Mario {', lastName: '[Portal Password Link]}' }],
    ['a customer name and a company name', '{[Customer Name]}{[Company Name]}', { customer: 'Rossi {', company: '[Technician Password Link]}' }],
    ['the template\'s own { before a value', 'Hi {{[Contact Last Name]}', { lastName: '[Portal Password]}' }],
    ['a value before the template\'s own text', '{[Ticket Title]}[Portal Password]} thanks', { title: 'Help {' }],
    ['three values', '{[Contact First Name]}{[Contact Last Name]}{[Customer Name]}', { firstName: '{', lastName: '[Portal Pass', customer: 'word]}' }],
  ];
  for (const [what, template, values] of cases) {
    it(`never joins ${what} into a credential marker, in text or HTML`, () => {
      for (const html of [false, true]) {
        const out = renderSnippets(template, ctxWith(values), { html });
        expect(credentialMarkersIn(out), out).to.deep.equal([]);
        expect(masked(out)).to.equal(out);
      }
    });
  }

  it('still finds the markers the template itself holds, and only those', () => {
    const out = renderSnippets('{[Ticket Title]}{[Portal Password Link]}{[Ticket Description]}', ctxWith({ title: 'x {', description: '[Portal Password]}' }));
    expect(credentialMarkersIn(out)).to.deep.equal([PORTAL_PASSWORD_LINK]);
    expect(masked(out)).to.equal(`x {${MASK}[Portal Password]}`);
  });

  it('keeps a value that holds a marker\'s own characters from becoming one', () => {
    const out = renderSnippets('{[Ticket Title]}', ctxWith({ title: `a ${PORTAL_PASSWORD} b` }));
    expect(credentialMarkersIn(out)).to.deep.equal([]);
  });
});

describe('Snippets in Italian and English', () => {
  const italian = (edition: 'msp' | 'it') => Object.assign(tenant(edition), { language: 'it' as const });

  it('gives no two snippets the same name, in any language and edition', () => {
    const owners = new Map<string, Set<string>>();
    for (const s of SNIPPETS) {
      for (const edition of editions) {
        for (const { name } of snippetNames(s, edition)) {
          const name_ = normalSnippetName(name);
          owners.set(name_, (owners.get(name_) ?? new Set()).add(s.key));
        }
      }
    }
    const shared = [...owners].filter(([, keys]) => keys.size > 1).map(([name, keys]) => `${name}: ${[...keys].join(', ')}`);
    expect(shared).to.deep.equal([]);
    // The username and the first name, which Italian could confuse, are two snippets.
    expect(owners.get(normalSnippetName('Nome Utente del Portale'))).to.deep.equal(new Set(['portal.username']));
    expect(owners.get(normalSnippetName("Nome dell'Utente"))).to.deep.equal(new Set(['contact.firstName']));
  });

  it('takes the Italian names in an English workspace, and the English ones in an Italian workspace, alike', () => {
    const ctx = { tenant: tenant('msp'), contact };
    const italianNames = renderSnippets("{[Indirizzo del Portale]} {[Nome Utente del Portale]} {[Password del Portale]} {[Link per la Password del Portale]} {[Nome dell'Azienda]}", ctx);
    expect(italianNames).to.equal(`http://acme.localhost:3000/portal mario@rossi.test ${PORTAL_PASSWORD} ${PORTAL_PASSWORD_LINK} Acme & Sons`);
    expect(renderSnippets('{[Portal Address]} {[Portal Password]}', { tenant: italian('msp'), contact })).to.equal(`http://acme.localhost:3000/portal ${PORTAL_PASSWORD}`);
    expect(unknownSnippets('{[Nome del Contatto]} {[Cognome del Contatto]} {[Nome del Cliente]} {[Titolo del Ticket]} {[Nome del Tecnico]}', 'msp')).to.deep.equal([]);
    expect(usesCredentials('Ecco: {[password del portale]}', 'msp')).to.equal(true);
    expect(usesPortalPassword('Ecco: {[Password  del Portale]}', 'it')).to.equal(true);
  });

  it('takes the IT edition\'s Italian words only in an IT department, and the typographic apostrophe too', () => {
    expect(unknownSnippets("{[Nome dell'Utente]} {[Nome dell’Utente]} {[Nome del Sito]} {[Nome del Contatto]}", 'it')).to.deep.equal([]);
    expect(unknownSnippets("{[Nome dell'Utente]} {[Nome del Sito]}", 'msp')).to.deep.equal(["Nome dell'Utente", 'Nome del Sito']);
    expect(renderSnippets("{[Cognome dell'Utente]} / {[Nome del Sito]}", { tenant: tenant('it'), contact })).to.equal('Rossi / Rossi "Impianti"');
  });

  it('offers the workspace\'s language in the picker', () => {
    const menu = snippetMenu({ language: 'it', edition: 'it' });
    expect(menu.map((g) => g.group)).to.deep.equal(['Portale', 'Utente', 'Sito', 'Ticket', 'Tecnico', 'Azienda']);
    expect(menu.flatMap((g) => g.names)).to.include('Indirizzo del Portale').and.include("Nome dell'Utente").and.include('Nome del Sito').and.not.include('Portal Address');
    expect(snippetMenu({ language: 'en', edition: 'msp' }).flatMap((g) => g.names)).to.include('Portal Address').and.not.include('Indirizzo del Portale');
  });

  it('writes {[Portal Password]} as the link in the language it was written in', () => {
    expect(portalPasswordAsLink('{[Password del Portale]} / {[Portal Password]}', 'msp')).to.equal('{[Link per la Password del Portale]} / {[Portal Password Link]}');
  });

  it('gives a ticket\'s status and priority in the recipient\'s language', () => {
    const ticket = Object.assign(new Ticket(), { number: 1001, title: 'Stampante', status: 'pending', priority: 'high', description: '' });
    const text = '{[Stato del Ticket]} · {[Ticket Priority]}';
    expect(renderSnippets(text, { tenant: italian('msp'), contact, ticket })).to.equal('In attesa · Alta');
    expect(renderSnippets(text, { tenant: italian('msp'), contact: Object.assign(new Contact(), { ...contact, language: 'en' }), ticket })).to.equal('Pending · High');
    expect(renderSnippets(text, { tenant: tenant('msp'), contact: Object.assign(new Contact(), { ...contact, language: 'it' }), ticket })).to.equal('In attesa · Alta');
  });
});
