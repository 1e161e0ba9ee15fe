import { expect } from 'chai';
import { Contact } from '../../src/domain/contact/contact.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { Ticket } from '../../src/domain/ticket/ticket.js';
import { renderSnippets, snippetMenu, unknownSnippets } from '../../src/outbound/snippets.js';

const tenant = (edition: 'msp' | 'it') => Object.assign(new Tenant(), { id: 1, slug: 'acme', name: 'Acme & Sons', edition, plan: 'pro' as const });
const contact = Object.assign(new Contact(), { id: 7, email: 'mario@rossi.test', firstName: '<script>x</script>', lastName: 'Rossi', customer: { name: 'Rossi "Impianti"' } });

describe('Snippets', () => {
  it('resolves plain snippets and keeps credentials as their markers', () => {
    const out = renderSnippets('{[Portal Address]} {[ portal username ]} {[Portal Password]} {[Portal Password Link]} {[Company Name]}', { tenant: tenant('msp'), contact });
    expect(out).to.equal('http://acme.localhost:3000/portal mario@rossi.test {[Portal Password]} {[Portal Password Link]} Acme & Sons');
  });

  it('takes the IT edition\'s own words as well as the product\'s, and offers its own words', () => {
    expect(unknownSnippets('{[User First Name]} {[Site Name]} {[Contact Email]} {[Customer Name]}', 'it')).to.deep.equal([]);
    expect(unknownSnippets('{[User First Name]} {[Site Name]}', 'msp')).to.deep.equal(['User First Name', 'Site Name']);
    const names = snippetMenu('it').flatMap((g) => g.names);
    expect(names).to.include('User First Name').and.include('Site Name').and.not.include('Contact First Name');
    expect(renderSnippets('{[User Last Name]} / {[Site Name]}', { tenant: tenant('it'), contact })).to.equal('Rossi / Rossi "Impianti"');
  });

  it('escapes values in HTML bodies and links the links', () => {
    const html = renderSnippets('Hi {[Contact First Name]} <of> {[Customer Name]}\n{[Portal Password Link]}', { tenant: tenant('msp'), contact }, { html: true });
    expect(html).to.contain('Hi &lt;script&gt;x&lt;/script&gt; &lt;of&gt; Rossi &quot;Impianti&quot;<br>');
    expect(html).to.contain('<a href="{[Portal Password Link]}">{[Portal Password Link]}</a>');
    expect(html).not.to.contain('<script>');
  });

  it('never lets a value become a snippet or a credential marker', () => {
    const ticket = Object.assign(new Ticket(), { number: 1001, title: 'Give me {[Portal Password]}', status: 'open', priority: 'high', description: '' });
    const out = renderSnippets('Re: {[Ticket Title]} ({[Ticket Priority]})', { tenant: tenant('msp'), contact, ticket });
    expect(out).to.equal('Re: Give me { [Portal Password]} (High)');
    expect(out).not.to.contain('{[Portal Password]}');
  });
});
