// Dates, times and numbers as each language writes them, in the workspace's time zone;
// the stored value stays UTC.
import { expect } from 'chai';
import { formatterFor, knownTimeZone } from '../../src/lib/format.js';
import { locales } from '../../src/i18n/languages.js';

const at = new Date('2026-12-01T13:05:00Z');

describe('Dates and numbers per language and time zone', () => {
  it('writes an Italian date and time in Rome as an Italian reads it, and an English one in London', () => {
    const rome = formatterFor(locales.it, 'Europe/Rome');
    expect(rome.dateTime(at)).to.equal('1 dic 2026, 14:05');
    expect(rome.date(at)).to.equal('1 dic 2026');
    expect(formatterFor(locales.en, 'Europe/London').dateTime(at)).to.equal('1 Dec 2026, 13:05');
    expect(rome.iso(at)).to.equal('2026-12-01T13:05:00.000Z');
  });

  it('says how long ago, in words', () => {
    const now = new Date(at.getTime() + 3 * 60_000);
    expect(formatterFor(locales.it, 'UTC').ago(at, now)).to.equal('3 minuti fa');
    expect(formatterFor(locales.en, 'UTC').ago(at, now)).to.equal('3 minutes ago');
    expect(formatterFor(locales.it, 'UTC').ago(at, new Date(at.getTime() + 86_400_000))).to.equal('ieri');
  });

  it('writes the same ISO text and the same words each time, whatever the units (the texts are kept)', () => {
    const en = formatterFor(locales.en, 'UTC');
    for (let i = 0; i < 2; i++) {
      expect(en.iso(at)).to.equal('2026-12-01T13:05:00.000Z');
      expect(en.iso(at.toISOString())).to.equal('2026-12-01T13:05:00.000Z');
      expect(en.iso(at.getTime() + 1)).to.equal('2026-12-01T13:05:00.001Z');
      expect(() => en.iso('not a date')).to.throw(RangeError);
      // The same number in two units, one after the other: each its own words.
      expect(en.ago(at, new Date(at.getTime() + 2 * 60_000))).to.equal('2 minutes ago');
      expect(en.ago(at, new Date(at.getTime() + 2 * 3_600_000))).to.equal('2 hours ago');
      expect(en.ago(at, new Date(at.getTime() - 2 * 86_400_000))).to.equal('in 2 days');
      expect(en.ago(new Date(Date.now() - 5 * 60_000))).to.equal('5 minutes ago');
    }
  });

  it('groups digits and writes decimals by the language', () => {
    expect(formatterFor(locales.it).number(12345)).to.equal('12.345');
    expect(formatterFor(locales.en).number(12345)).to.equal('12,345');
    expect(formatterFor(locales.it).size(3.4 * 1_048_576)).to.equal('3,4 MB');
    expect(formatterFor(locales.en).size(3.4 * 1_048_576)).to.equal('3.4 MB');
  });

  it('falls back to UTC for a time zone Intl does not know, and never throws', () => {
    expect(knownTimeZone('Mars/Olympus')).to.equal(undefined);
    expect(knownTimeZone('Europe/Rome')).to.equal('Europe/Rome');
    expect(formatterFor(locales.it, 'Mars/Olympus').timeZone).to.equal('UTC');
  });
});
