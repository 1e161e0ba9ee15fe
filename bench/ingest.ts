// bench/ingest: a generated corpus of mixed messages (small text, HTML with an inline
// image, replies threading on earlier ones, automatic mail, 1 MB attachments) through
// the whole ingest pipeline with all its database work, beside mailparser's own parse
// rate on the same corpus in the same run — the ratio is the figure (target ≥ 0.30).
// Then once more end to end through a private Dovecot (needs dovecot-imapd), with
// three 24 MB messages in the stream: peak RSS must stay under 300 MB.
//   npm run bench:ingest        (BENCH_MESSAGES to change the size, BENCH_E2E=0 to skip Dovecot; exits 1 on a miss;
//                                BENCH_CPU_PROFILE=file.cpuprofile profiles the measured loop)
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import pg from 'pg';
import { simpleParser } from 'mailparser';
import { migrate, openRuntimeOrm } from '../src/db/orm.js';
import { inTenant, setOrm } from '../src/db/unit-of-work.js';
import { createMailbox } from '../src/domain/mailbox/mailboxes.js';
import { Tenant } from '../src/domain/tenant/tenant.js';
import { signUp } from '../src/domain/tenant/signup.js';
import { ingestTurn } from '../src/inbound/ingest.js';
import { ingestInTurn } from '../src/inbound/in-turn.js';
import { programAvailable } from '../test/support/require-program.js';
import { DOVECOT, Dovecot } from '../test/support/dovecot.js';
import { corpusMessage } from './ingest-corpus.js';
import { backendCpuMs, benchDatabase, productNodeFlags, root, roundTrips } from './machinery.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
/** Messages measured at a time, by mailparser and by the pipeline in turn. */
const BLOCK = 100;
process.env.APP_SECRET ??= 'bench-secret-bench-secret-bench-secret!!';
process.env.NODE_ENV = 'test';

/** This process's peak RSS (VmHWM: per address space, so a forked child does not inherit its parent's, as getrusage's maxrss does). */
function peakRssMb(): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<void> {
  const db = await benchDatabase('ingest');
  await migrate(db.url);
  const orm = await openRuntimeOrm(db.url, 4);
  setOrm(orm);
  const owner = new pg.Pool({ connectionString: db.url, max: 1 });
  let failed = false;
  try {
    const { tenant } = await signUp({ companyName: 'Bench Support', slug: 'bench', edition: 'msp', plan: 'enterprise', adminName: 'Bench Admin', adminEmail: 'admin@bench.test', password: 'bench password 123' });
    await owner.query(`update email_settings set auto_create_contacts = true, send_welcome_email = true,
      welcome_template_id = (select id from email_templates t where t.tenant_id = email_settings.tenant_id and t.name like 'New % welcome')`);
    // The senders are the workspace's contacts already (a helpdesk in use): a new sender's
    // contact is made at most 50 an hour from one mailbox, which would cap the corpus.
    await owner.query(`insert into contacts (tenant_id, customer_id, email, first_name, portal_access)
      select $1, (select id from customers where tenant_id = $1 and is_default), 'person' || p || '@customer' || (p % 40) || '.test', 'Person', true
      from generate_series(0, 399) p`, [tenant.id]);
    // And a history: an ingest log of earlier days, with the statistics a server's autovacuum
    // keeps (this one may run without it). Plans made against never-analysed, empty tables read
    // the whole log for each message (a scan by tenant, filtered), and the bench would measure that.
    await owner.query(`insert into inbound_messages (tenant_id, mailbox_id, message_key, from_address, subject, size, outcome, reason, created_at, updated_at)
      select $1, null, '<old' || p || '@bench.test>', 'person' || (p % 400) || '@customer' || (p % 40) || '.test', 'Earlier ' || p, 1000, 'ignored_automated', 'automated',
        now() - interval '2 days' - p * interval '1 minute', now() - interval '2 days'
      from generate_series(0, 4999) p`, [tenant.id]);
    await owner.query('analyze');
    const corpus = Array.from({ length: MESSAGES }, (_, i) => Buffer.from(corpusMessage(i, 'support@bench.test')));
    const mb = corpus.reduce((n, m) => n + m.length, 0) / 1024 / 1024;
    console.log(`corpus: ${MESSAGES} messages, ${mb.toFixed(0)} MB`);

    const options = { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true } as const;
    // Warmed up first (every shape, untimed): mailparser's rate is not its first, cold pass over the corpus.
    for (const raw of corpus.slice(0, 100)) await simpleParser(raw, options);

    // The two are measured in turns, BLOCK messages at a time (mailparser on a block, the pipeline on
    // the same block, then the other way about), so that both see the same machine: on a shared one
    // the load moves by the minute, and two passes one after the other measured two machines.
    const profile = process.env.BENCH_CPU_PROFILE ? await startProfile() : undefined;
    const trips = roundTrips();
    const serverCpu = await backendCpuMs(owner);
    const outcomes = new Map<string, number>();
    const perMessage: number[] = [];
    const byShape = new Map<number, { n: number; cpu: number; wall: number }>();
    const spent = { parse: { ms: 0, cpu: 0 }, pipeline: { ms: 0, cpu: 0 } };
    const timed = async (side: keyof typeof spent, run: () => Promise<void>) => {
      const cpu = process.cpuUsage();
      const t = performance.now();
      await run();
      spent[side].ms += performance.now() - t;
      spent[side].cpu += cpuMs(process.cpuUsage(cpu));
    };
    const parseBlock = (from: number, to: number) => timed('parse', async () => {
      for (const raw of corpus.slice(from, to)) await simpleParser(raw, options);
    });
    // The poll's own path (poll.ts): the messages in turn, each read while the one before commits.
    // A message's figures run from the commit before it to its own (its reading overlaps the one before).
    const ingestBlock = (from: number, to: number) => timed('pipeline', async () => {
      let before = trips.count;
      let cpu = process.cpuUsage();
      let wall = performance.now();
      const block = Array.from({ length: to - from }, (_, k) => from + k);
      await ingestInTurn(block, async (i) => ingestTurn({ tenantId: tenant.id, mailbox: null, raw: corpus[i] }), async (i, result) => {
        const shape = byShape.get(i % 10) ?? { n: 0, cpu: 0, wall: 0 };
        byShape.set(i % 10, { n: shape.n + 1, cpu: shape.cpu + cpuMs(process.cpuUsage(cpu)), wall: shape.wall + performance.now() - wall });
        perMessage.push(trips.count - before);
        const outcome = result?.outcome ?? 'none';
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        before = trips.count;
        cpu = process.cpuUsage();
        wall = performance.now();
      });
    });
    for (let from = 0; from < MESSAGES; from += BLOCK) {
      const to = Math.min(MESSAGES, from + BLOCK);
      if ((from / BLOCK) % 2 === 0) {
        await parseBlock(from, to);
        await ingestBlock(from, to);
      } else {
        await ingestBlock(from, to);
        await parseBlock(from, to);
      }
    }
    const parseRate = MESSAGES / (spent.parse.ms / 1000);
    const parseCpuMs = spent.parse.cpu;
    const pipelineRate = MESSAGES / (spent.pipeline.ms / 1000);
    const pipelineCpuMs = spent.pipeline.cpu;
    trips.stop();
    if (profile) await profile.stop(process.env.BENCH_CPU_PROFILE!);
    const serverCpuMs = serverCpu === null ? null : (await backendCpuMs(owner))! - serverCpu;
    const ratio = pipelineRate / parseRate;
    const ok = ratio >= 0.3 && !outcomes.has('retrying') && !outcomes.has('failed') && !outcomes.has('none');
    failed ||= !ok;
    if (process.env.BENCH_TRACE) {
      for (const [shape, { n, cpu, wall }] of [...byShape].sort((a, b) => a[0] - b[0])) console.log(`shape ${shape} (i % 10): ${(cpu / n).toFixed(2)} cpu-ms, ${(wall / n).toFixed(2)} ms`);
    }
    console.log(`outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`statements per message (begin and commit included; the begin rides in the first statement's round trip): ${(perMessage.reduce((a, b) => a + b, 0) / MESSAGES).toFixed(1)} on average, ${Math.min(...perMessage)}–${Math.max(...perMessage)}`);
    // CPU time is steadier than wall time on a shared machine (a busy one delays every round trip): informative, not the target.
    const perMsg = (ms: number) => (ms / MESSAGES).toFixed(2);
    console.log(`CPU per message: mailparser ${perMsg(parseCpuMs)} ms | pipeline ${perMsg(pipelineCpuMs)} ms in node${serverCpuMs === null ? '' : ` + ${perMsg(serverCpuMs)} ms in PostgreSQL → CPU ratio ${(parseCpuMs / (pipelineCpuMs + serverCpuMs)).toFixed(2)}`}`);
    console.log(`mailparser alone ${parseRate.toFixed(0).padStart(5)} msg/s | pipeline with its database work ${pipelineRate.toFixed(0).padStart(5)} msg/s | ratio ${ratio.toFixed(2)} (target ≥ 0.30) ${ok ? 'OK' : 'MISSED'}`);

    if (process.env.BENCH_E2E === '0') {
      console.log('end to end through Dovecot: skipped (BENCH_E2E=0)');
    } else if (!programAvailable(DOVECOT)) {
      console.log('end to end through Dovecot: skipped (apt-get install -y dovecot-imapd)');
    } else {
      const dovecot = new Dovecot();
      await dovecot.start();
      try {
        const user = dovecot.addUser('imap@bench.test');
        const mailboxId = await inTenant(tenant.id, async (em) => (await createMailbox(em, await em.findOneOrFail(Tenant, { id: tenant.id }), {
          address: 'imap@bench.test', host: '127.0.0.1', port: String(dovecot.port), tls: 'none', username: user.user, password: user.password,
        })).id);
        const count = Math.min(MESSAGES, 500);
        const huge = (k: number) => `From: Big Sender <big${k}@bench.test>\nTo: imap@bench.test\nSubject: Huge ${k}\nMessage-ID: <huge${k}@bench.test>\nContent-Type: text/plain\n\n${'y'.repeat(24 * 1024 * 1024)}\n`;
        const stream = Array.from({ length: count }, (_, i) => corpusMessage(MESSAGES + i, 'imap@bench.test'));
        for (const k of [1, 2, 3]) stream.splice(Math.floor((count * k) / 4), 0, huge(k));
        await dovecot.append(user, stream);
        stream.length = 0;
        // The poll runs in a process of its own, as a worker would: its peak RSS is the poller's alone.
        const report = await pollInChild(db.url, tenant.id, mailboxId);
        const rssOk = report.rss < 300 && !report.problem;
        failed ||= !rssOk;
        console.log(`end to end through Dovecot: ${report.taken} messages (three of 24 MB) at ${report.rate.toFixed(0)} msg/s; peak RSS of the polling process ${report.rss.toFixed(0)} MB (${process.env.BENCH_APP === 'dist' ? 'production build' : 'under tsx'}; target < 300 MB) ${rssOk ? 'OK' : 'MISSED'}${report.problem ? ` problem ${report.problem}` : ''}`);
      } finally {
        await dovecot.stop();
      }
    }
  } finally {
    await owner.end();
    await orm.close(true);
    await db.stop();
  }
  if (failed) process.exitCode = 1;
}

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

/** A CPU profile of the measured loop (BENCH_CPU_PROFILE=file.cpuprofile: open it in Chrome's DevTools; mailparser's turns are under simpleParser). */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await post('Profiler.stop') as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`CPU profile of the pipeline: ${file}`);
    },
  };
}

interface ChildReport { taken: number; rate: number; rss: number; problem?: string }

/**
 * The poll runs in a process of its own, as a worker would: `npm run poll` (src/cli/poll-once.ts),
 * or its production build when `BENCH_APP=dist` (run `npm run build` first) — what a worker runs.
 */
function pollInChild(databaseUrl: string, tenantId: number, mailboxId: number): Promise<ChildReport> {
  const built = process.env.BENCH_APP === 'dist';
  const entry = built ? 'dist/src/cli/poll-once.js' : 'src/cli/poll-once.ts';
  return new Promise((resolve, reject) => {
    // With the node flags a worker starts with (start:prod's, as the Dockerfile's CMD): the heap grows by half between full collections.
    const child = spawn(process.execPath, [...productNodeFlags(), ...(built ? [] : ['--import', 'tsx']), entry, String(tenantId), String(mailboxId)], {
      cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...(built ? { NODE_ENV: 'production', MAIL_CAPTURE: '1', IMAP_PRIVATE_HOSTS: '1' } : {}) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.on('exit', (code) => {
      if (code) return reject(new Error(`the polling process exited with ${code}`));
      const r = JSON.parse(out.trim().split('\n').pop()!) as { taken: number; seconds: number; peakRssMb: number; problem: string | null };
      resolve({ taken: r.taken, rate: r.taken / r.seconds, rss: r.peakRssMb, problem: r.problem ?? undefined });
    });
  });
}

main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  console.error(error);
  process.exit(1);
});
