// The views' ejs without `with` and without copies (src/web/views.ts) draws what ejs drew:
// each template compared with ejs's own renderFile on the same data, cached and not.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import ejs from 'ejs';
import { escapeHtml } from '../../src/lib/html.js';
import { views } from '../../src/web/views.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sportello-views-'));
mkdirSync(path.join(dir, 'shared'));
const files: Record<string, string> = {
  // Escaped and raw output, an include with values of its own, one without, and a local read as locals.x.
  'page.ejs': '<h1><%= title %></h1><%- html %><% if (locals.notice) { %><p><%= notice %></p><% } %>'
    + '<%- include(\'/shared/_item\', { item: title, n: 1 }) %><%- include(\'/shared/_plain\') %><% title = \'changed\' %><%- include(\'/shared/_plain\') %>',
  'shared/_item.ejs': '<li><%= item %> <%= n %> <%= title %> <%= typeof missing === \'undefined\' ? \'none\' : missing %></li><%- include(\'_nested\', { n: n + 1 }) %>',
  'shared/_nested.ejs': '<b><%= n %> <%= item %></b>',
  'shared/_plain.ejs': '<i><%= title %></i>',
  // The template's own const of a local's name hides the local, as under with.
  'own-const.ejs': '<% const selectable = !!locals.selectable; %><%= selectable %> <%= title %>',
  // A var of a local's name reads the local until assigned, as under with (compiled by ejs).
  'own-var.ejs': '<%= title %> <% var title = \'mine\'; %><%= title %><%- include(\'/shared/_plain\') %>',
  'throws.ejs': 'one\n<%= nothing.here %>',
  'empty.ejs': '[<%- nothing %>][<%= nothing %>]',
  'pair.ejs': '<%= typeof a === \'undefined\' ? \'no a\' : a %> <%= locals[\'a,b\'] %>',
};
for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);

function byEjs(name: string, data: Record<string, unknown>, cache: boolean): string {
  return ejs.render(files[name], data, { filename: path.join(dir, name), root: dir, views: [dir], cache: false, compileDebug: !cache, escape: escapeHtml }) as string;
}

describe('Views without with', () => {
  for (const cache of [true, false]) {
    const pages = views(dir, () => cache);
    const render = (name: string, data: Record<string, unknown>) => pages.render(path.join(dir, name), data);

    it(`draws what ejs draws${cache ? ' (cached)' : ''}: escaped values, includes with and without their own values, locals.x`, () => {
      const data = { title: '<script>alert(1)</script>', html: '<em>raw</em>', notice: 'a "notice"' };
      const html = render('page.ejs', data);
      expect(html).to.equal(byEjs('page.ejs', data, cache));
      expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.contain('<script>');
      // What the page assigned is its own: its includes see the title given.
      expect(html).to.not.contain('changed');
      expect(render('page.ejs', { title: 't', html: '' })).to.equal(byEjs('page.ejs', { title: 't', html: '' }, cache));
    });

    it(`lets a template's own const hide a local, and keeps ejs's way for a var${cache ? ' (cached)' : ''}`, () => {
      for (const data of [{ title: 'x', selectable: 1 }, { title: 'y' }]) expect(render('own-const.ejs', data)).to.equal(byEjs('own-const.ejs', data, cache));
      expect(render('own-var.ejs', { title: 'given' })).to.equal(byEjs('own-var.ejs', { title: 'given' }, cache)).and.equal('given mine<i>given</i>');
    });

    it(`prints nothing for an empty value, whatever names the locals have${cache ? ' (cached)' : ''}`, () => {
      const data = { nothing: undefined, undefined: 'X', NaN: 1, Infinity: 2 };
      expect(render('empty.ejs', data)).to.equal(byEjs('empty.ejs', data, cache)).and.equal('[][]');
    });

    it(`keeps a template compiled for one set of names from serving another${cache ? ' (cached)' : ''}`, () => {
      // {a, b} and {'a,b'} once made the same key: the second was drawn with the first's variables.
      expect(render('pair.ejs', { a: 1, b: 2 })).to.equal(byEjs('pair.ejs', { a: 1, b: 2 }, cache));
      expect(render('pair.ejs', { 'a,b': 3 })).to.equal(byEjs('pair.ejs', { 'a,b': 3 }, cache)).and.equal('no a 3');
    });

    it(`gives a view no local from a polluted Object.prototype${cache ? ' (cached)' : ''}`, () => {
      (Object.prototype as Record<string, unknown>).notice = 'polluted';
      try {
        expect(render('page.ejs', { title: 't', html: '' })).to.not.contain('polluted');
      } finally {
        delete (Object.prototype as Record<string, unknown>).notice;
      }
    });
  }

  it('names the template and its line in an error while not cached', () => {
    expect(() => views(dir, () => false).render(path.join(dir, 'throws.ejs'), {})).to.throw(/throws\.ejs:2[\s\S]*>> 2\|/);
  });
});
