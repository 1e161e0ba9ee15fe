import { expect } from 'chai';
import { Contact } from '../../src/domain/contact/contact.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { Ticket } from '../../src/domain/ticket/ticket.js';
import { credentialMarkersIn, MASK, masked, PORTAL_PASSWORD, PORTAL_PASSWORD_LINK } from '../../src/outbound/credentials.js';
import { renderSnippets, snippetMenu, unknownSnippets } from '../../src/domain/email/snippets.js';

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
