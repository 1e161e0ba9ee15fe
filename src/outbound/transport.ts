// Where mail goes: SMTP when SMTP_URL is set; otherwise captured as .eml files
// in .data/outbox/ (the developer's own mailbox), opened from the Mail Log.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { config } from '../config.js';

export interface Delivery { status: 'sent' | 'captured'; capturedPath?: string }

let smtp: Transporter | undefined;
let capture: Transporter | undefined;

export async function deliver(message: SendMailOptions, fileName: string): Promise<Delivery> {
  const c = config();
  if (c.smtpUrl) {
    smtp ??= nodemailer.createTransport(c.smtpUrl);
    await smtp.sendMail(message);
    return { status: 'sent' };
  }
  capture ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await capture.sendMail(message);
  await mkdir(c.outboxDir, { recursive: true, mode: 0o700 });
  const file = path.join(c.outboxDir, fileName);
  await writeFile(file, info.message as Buffer, { mode: 0o600 });
  return { status: 'captured', capturedPath: file };
}

/** Tests point SMTP at their sink and back; a fresh transport picks up the change. */
export function resetTransports(): void {
  smtp?.close();
  smtp = undefined;
  capture = undefined;
}
