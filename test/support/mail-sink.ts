// An in-process SMTP server: a real SMTP conversation, every message kept and parsed.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
  headers: ParsedMail['headers'];
  messageId?: string;
}

export class MailSink {
  readonly messages: SunkMail[] = [];
  private failures = 0;
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          if (this.failures > 0) {
            this.failures -= 1;
            const error = new Error('451 Temporary failure, try again later') as Error & { responseCode: number };
            error.responseCode = 451;
            return callback(error);
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const parsed = await simpleParser(raw);
          this.messages.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            raw,
            headers: parsed.headers,
            messageId: parsed.messageId,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The next `n` messages are refused with a temporary failure. */
  failNext(n = 1): void {
    this.failures = n;
  }

  clear(): void {
    this.messages.length = 0;
    this.failures = 0;
  }

  to(address: string): SunkMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  last(address: string): SunkMail {
    const all = this.to(address);
    if (all.length === 0) throw new Error(`No mail to ${address}; mail went to: ${this.messages.map((m) => m.to.join(',')).join('; ') || 'nobody'}`);
    return all[all.length - 1];
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The first http(s) link in a text body that matches `pattern`. */
export function linkIn(text: string, pattern: RegExp): string {
  const links = text.match(/https?:\/\/[^\s<>"]+/g) ?? [];
  const found = links.find((l) => pattern.test(l));
  if (!found) throw new Error(`No link matching ${pattern} in:\n${text}`);
  return found;
}
