// A bounce: a delivery status report (RFC 3464), or mail from mailer-daemon /
// postmaster, or with an empty Return-Path. It names the message that bounced
// (its Message-ID, from the returned message or headers) and the recipient.
import type { InboundMail } from '../parse.js';
import { header, type MailFilter } from './types.js';

const DAEMON = /^(mailer-daemon|postmaster|mail-daemon|mailer)@/i;

function returnedMessageId(mail: InboundMail): string | null {
  for (const part of mail.attachments) {
    if (!/^(message\/rfc822|text\/rfc822-headers|message\/rfc822-headers)$/i.test(part.type)) continue;
    const m = /^message-id:\s*(<[^<>\s]+>)/im.exec(part.bytes.toString('utf8', 0, Math.min(part.bytes.length, 64 * 1024)));
    if (m) return m[1];
  }
  const inBody = /^message-id:\s*(<[^<>\s]+>)/im.exec(mail.text);
  return inBody?.[1] ?? mail.inReplyTo[0] ?? null;
}

function failedRecipient(mail: InboundMail): string | null {
  const sources = [...mail.attachments.filter((a) => /delivery-status/i.test(a.type)).map((a) => a.bytes.toString('utf8')), mail.text];
  for (const s of sources) {
    const m = /^(?:final|original)-recipient:\s*rfc822;\s*<?([^\s<>]+@[^\s<>]+)>?/im.exec(s);
    if (m) return m[1].toLowerCase();
  }
  return header(mail, 'x-failed-recipients').split(',')[0]?.trim().toLowerCase() || null;
}

export const bounce: MailFilter = (mail) => {
  const report = /^multipart\/report/i.test(mail.contentType) && /report-type="?delivery-status/i.test(mail.contentType);
  const daemon = mail.from ? DAEMON.test(mail.from.address) : false;
  const emptyReturnPath = mail.headers.has('return-path') && /^<?\s*>?$/.test(header(mail, 'return-path'));
  if (!report && !daemon && !emptyReturnPath) return undefined;
  return { kind: 'bounce', originalMessageId: returnedMessageId(mail), recipient: failedRecipient(mail) };
};
