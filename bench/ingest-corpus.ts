// The corpus of bench/ingest: message i of a few thousand generated messages of mixed
// shapes (small text, HTML with an inline image, replies threading on earlier ones,
// automatic mail, 1 MB attachments).
const image = Buffer.alloc(48 * 1024, 7).toString('base64').replace(/.{76}/g, '$&\n');
const megabyte = Buffer.alloc(1024 * 1024, 3).toString('base64').replace(/.{76}/g, '$&\n');

/** Message i of the corpus: its shape cycles; senders spread so the flood guard never trips. */
export function corpusMessage(i: number, to: string): string {
  const sender = `person${i % 400}@customer${i % 40}.test`;
  const head = (subject: string, extra = '') => `From: Person ${i % 400} <${sender}>\nTo: ${to}\nSubject: ${subject}\nMessage-ID: <m${i}@bench.test>\nDate: Tue, 01 Dec 2026 09:00:00 +0100\nMIME-Version: 1.0\n${extra}`;
  switch (i % 10) {
    case 0: case 1: case 2: case 3:
      return `${head(`Question ${i}`)}Content-Type: text/plain; charset=utf-8\n\nHello, something is wrong with item ${i}.\nThanks\n`;
    case 4: case 5:
      return `${head(`Screenshot ${i}`)}Content-Type: multipart/related; boundary="r${i}"\n\n--r${i}\nContent-Type: text/html; charset=utf-8\n\n<p>See <b>the error</b>:</p><img src="cid:img${i}">\n--r${i}\nContent-Type: image/png\nContent-ID: <img${i}>\nContent-Transfer-Encoding: base64\n\n${image}\n--r${i}--\n`;
    case 6: case 7:
      // A reply from the same sender to their message 400 earlier (or a new ticket at the start).
      return `${head(`Re: Question ${i - 400}`, i >= 400 ? `In-Reply-To: <m${i - 400}@bench.test>\n` : '')}Content-Type: text/plain\n\nStill broken.\n\nOn Mon, someone wrote:\n> Please try again\n`;
    case 8:
      return `${head(`ALERT ${i}: disk full`, 'Auto-Submitted: auto-generated\n')}Content-Type: text/plain\n\nDisk usage 97%.\n`;
    default:
      return `${head(`Log ${i}`)}Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\nContent-Type: text/plain\n\nThe log is attached.\n--b${i}\nContent-Type: application/octet-stream; name="log.bin"\nContent-Disposition: attachment; filename="log.bin"\nContent-Transfer-Encoding: base64\n\n${megabyte}\n--b${i}--\n`;
  }
}
