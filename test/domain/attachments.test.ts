// What a file name becomes before it is stored and offered for download.
import { expect } from 'chai';
import { contentDisposition, safeFileName } from '../../src/domain/ticket/attachments.js';

describe('Attachment file names', () => {
  it('removes a right-to-left override, so invoice<RLO>fdp.exe reads as the .exe it is', () => {
    expect(safeFileName('invoice\u202Efdp.exe')).to.equal('invoicefdp.exe');
  });

  it('removes every bidi control: embeddings, overrides, isolates and marks', () => {
    const controls = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
    for (const c of controls) expect(safeFileName(`report${c}.pdf`), `U+${c.charCodeAt(0).toString(16)}`).to.equal('report.pdf');
    expect(safeFileName(`${controls.join('')}photo.jpg`)).to.equal('photo.jpg');
    expect(contentDisposition(safeFileName('invoice\u202Efdp.exe'))).not.to.match(/%E2%80%AE/i);
  });

  it('keeps right-to-left letters themselves (an Arabic or Hebrew name stays readable)', () => {
    expect(safeFileName('\u0641\u0627\u062A\u0648\u0631\u0629.pdf')).to.equal('\u0641\u0627\u062A\u0648\u0631\u0629.pdf');
    expect(safeFileName('\u05D7\u05E9\u05D1\u05D5\u05E0\u05D9\u05EA.pdf')).to.equal('\u05D7\u05E9\u05D1\u05D5\u05E0\u05D9\u05EA.pdf');
  });
});
