// Where mail goes: SMTP when SMTP_URL is set; otherwise captured as .eml files
// in DATA_DIR/outbox/ (the developer's own mailbox; production only with
// MAIL_CAPTURE=1), kept for a day (jobs/outbox-prune.ts). The Mail Log serves a
// masked copy (deliver.ts `maskedCopy`), never the file.
import { mkdir, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { config } from '../config.js';

export interface Delivery { status: 'sent' | 'captured'; capturedPath?: string }

let smtp: Transporter | undefined;
let capture: Transporter | undefined;
let captureOverride: string | undefined;

/** The folder mail is captured in, or undefined when it goes to SMTP. */
export function captureDir(): string | undefined {
  const c = config();
  return captureOverride ?? (c.mailCapture ? c.outboxDir : undefined);
}

/** The message as RFC 822 bytes, as a captured file holds it. */
export async function compose(message: SendMailOptions): Promise<Buffer> {
  capture ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await capture.sendMail(message);
  return info.message as Buffer;
}

export async function deliver(message: SendMailOptions, fileName: string): Promise<Delivery> {
  const dir = captureDir();
  if (!dir) {
    smtp ??= nodemailer.createTransport(config().smtpUrl!);
    await smtp.sendMail(message);
    return { status: 'sent' };
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, fileName);
  await writeFile(file, await compose(message), { mode: 0o600 });
  return { status: 'captured', capturedPath: file };
}

export const CAPTURE_KEPT_MS = 24 * 3600 * 1000;

/** Deletes the captured messages (.eml) in `dir` older than `keptMs`; returns how many. */
export async function pruneCapturedMail(dir: string, keptMs = CAPTURE_KEPT_MS): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith('.eml'))) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile() && Date.now() - info.mtimeMs > keptMs) {
      if (await unlink(file).then(() => true, () => false)) removed += 1;
    }
  }
  return removed;
}

/** Tests capture into a folder of their own instead of sending to the sink, and back (undefined). */
export function captureMailIn(dir: string | undefined): void {
  captureOverride = dir;
}

/** Tests point SMTP at their sink and back; a fresh transport picks up the change. */
export function resetTransports(): void {
  smtp?.close();
  smtp = undefined;
  capture = undefined;
}
