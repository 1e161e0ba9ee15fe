// A private Dovecot for the IMAP tests: its own config, state and mail under a temp
// folder, listening on a free loopback port, with plaintext login (loopback only).
// Users are added with `addUser`; messages are put in a mailbox with `append` over IMAP,
// as any mail client would. Stopped by PID with SIGTERM.
// With `oauth2`, it also takes AUTHENTICATE XOAUTH2 (and OAUTHBEARER if asked): its oauth2 passdb
// validates each access token against the given introspection endpoint (RFC 7662,
// `introspection_mode = post`; test/support/oauth-standin.ts), as Dovecot's documentation
// ("Open Authentication v2.0 database") describes; password logins work as before.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from './server-process.js';

export const DOVECOT = '/usr/sbin/dovecot';
const PASSWORD = 'imap-test-password';

export interface MailUser { user: string; password: string }

export interface DovecotOptions {
  /**
   * Validate OAuth access tokens at this RFC 7662 introspection URL. `mechanisms`: what it
   * advertises — XOAUTH2 alone by default, as Exchange Online does (Gmail offers OAUTHBEARER
   * too, which imapflow then prefers).
   */
  oauth2?: { introspectionUrl: string; mechanisms?: Array<'xoauth2' | 'oauthbearer'> };
}

export class Dovecot {
  port = 0;
  private dir = '';
  private child?: ChildProcess;

  constructor(private readonly options: DovecotOptions = {}) {}

  private oauthMechanisms(): string {
    return (this.options.oauth2?.mechanisms ?? ['xoauth2']).join(' ');
  }

  /** The oauth2 passdb and its dovecot-oauth2.conf.ext, before the password one (which takes only PLAIN and LOGIN). */
  private oauth2Passdb(): string {
    const oauth2 = this.options.oauth2;
    if (!oauth2) return '';
    const ext = path.join(this.dir, 'dovecot-oauth2.conf.ext');
    writeFileSync(ext, `introspection_mode = post
introspection_url = ${oauth2.introspectionUrl}
username_attribute = username
active_attribute = active
active_value = true
force_introspection = yes
`);
    return `passdb {
  driver = oauth2
  mechanisms = ${this.oauthMechanisms()}
  args = ${ext}
}
`;
  }

  async start(): Promise<void> {
    this.dir = mkdtempSync(path.join(tmpdir(), 'sportello-dovecot-'));
    chmodSync(this.dir, 0o755);
    this.port = await freePort();
    const root = userInfo().uid === 0;
    const mailUser = root ? Number(execFileSync('id', ['-u', 'dovecot']).toString().trim()) : userInfo().uid;
    const mailGroup = root ? Number(execFileSync('id', ['-g', 'dovecot']).toString().trim()) : userInfo().gid;
    const mail = path.join(this.dir, 'mail');
    mkdirSync(mail);
    if (root) chownSync(mail, mailUser, mailGroup);
    const me = userInfo().username;
    writeFileSync(path.join(this.dir, 'dovecot.conf'), `
protocols = imap
listen = 127.0.0.1
base_dir = ${this.dir}/run
state_dir = ${this.dir}/state
log_path = ${this.dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${this.options.oauth2 ? ` ${this.oauthMechanisms()}` : ''}
mail_location = maildir:${mail}/%u
first_valid_uid = ${mailUser}
last_valid_uid = ${mailUser}
default_internal_user = ${root ? 'dovecot' : me}
default_login_user = ${root ? 'dovenull' : me}
default_internal_group = ${root ? 'dovecot' : userInfo().username}
${this.oauth2Passdb()}passdb {
  driver = static
  args = password=${PASSWORD}${this.options.oauth2 ? '\n  mechanisms = plain login' : ''}
}
userdb {
  driver = static
  args = uid=${mailUser} gid=${mailGroup} home=${mail}/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`);
    const log = openSync(path.join(this.dir, 'stdio.log'), 'a');
    this.child = spawn(DOVECOT, ['-F', '-c', path.join(this.dir, 'dovecot.conf')], { detached: true, stdio: ['ignore', log, log] });
    this.child.unref();
    const end = Date.now() + 10_000;
    for (;;) {
      const banner = await this.banner().catch(() => '');
      if (banner.startsWith('* OK')) return;
      if (Date.now() > end) throw new Error(`Dovecot did not start:\n${this.logs()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private banner(): Promise<string> {
    return new Promise((resolve, reject) => {
      import('node:net').then(({ connect }) => {
        const s = connect(this.port, '127.0.0.1');
        s.once('data', (d) => { resolve(String(d)); s.destroy(); });
        s.once('error', reject);
      }, reject);
    });
  }

  logs(): string {
    const read = (f: string) => { try { return readFileSync(path.join(this.dir, f), 'utf8'); } catch { return ''; } };
    return read('dovecot.log') + read('stdio.log');
  }

  /** An account: every name logs in with the one password (Dovecot makes its mail folder on first use). */
  addUser(user: string): MailUser {
    return { user, password: PASSWORD };
  }

  client(u: MailUser): ImapFlow {
    return new ImapFlow({ host: '127.0.0.1', port: this.port, secure: false, doSTARTTLS: false, auth: { user: u.user, pass: u.password }, logger: false });
  }

  /** A client that signs in with XOAUTH2 (needs the `oauth2` option). */
  oauthClient(user: string, accessToken: string): ImapFlow {
    return new ImapFlow({ host: '127.0.0.1', port: this.port, secure: false, doSTARTTLS: false, auth: { user, accessToken }, logger: false });
  }

  /** Puts raw messages into `folder` (created if missing), as a mail client would. Returns their UIDs. */
  async append(u: MailUser, raws: Array<string | Buffer>, folder = 'INBOX'): Promise<number[]> {
    const client = this.client(u);
    await client.connect();
    try {
      if (folder !== 'INBOX') await client.mailboxCreate(folder).catch(() => undefined);
      const uids: number[] = [];
      for (const raw of raws) {
        const res = await client.append(folder, raw);
        if (res && typeof res === 'object' && 'uid' in res && res.uid) uids.push(Number(res.uid));
      }
      return uids;
    } finally {
      await client.logout();
    }
  }

  /** The flags of every message in `folder`, by UID. */
  async flags(u: MailUser, folder = 'INBOX'): Promise<Record<number, string[]>> {
    const client = this.client(u);
    await client.connect();
    const out: Record<number, string[]> = {};
    try {
      const lock = await client.getMailboxLock(folder);
      try {
        for await (const m of client.fetch('1:*', { flags: true, uid: true }, { uid: false })) out[m.uid] = [...(m.flags ?? [])].sort();
      } catch { /* an empty folder */ } finally { lock.release(); }
    } finally {
      await client.logout();
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.child?.pid) {
      try { process.kill(this.child.pid, 'SIGTERM'); } catch { /* gone */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
