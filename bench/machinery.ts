// What the benchmarks share: a free port, a child server (the app or a baseline), plain
// HTTP requests, signing in, and an autocannon run summed up.
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';

export const PASSWORD = 'bench password 123';
export const root = path.resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function start(script: string, env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { cwd: root, env: { ...process.env, ...env }, execArgv: script.endsWith('.js') ? [] : ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.stdout!.on('data', (chunk: Buffer) => { if (/running at|ready/.test(String(chunk))) resolve(child); });
    child.on('message', (m) => m === 'ready' && resolve(child));
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export function request(port: number, host: string, method: string, pathname: string, body?: string, cookie?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', method, path: pathname, headers: {
      host, ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
    } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export async function signIn(port: number, host: string, loginPath: string, email: string): Promise<string> {
  const page = await request(port, host, 'GET', loginPath);
  // Every cookie the sign-in page and the sign-in set (session, CSRF, …), the later one of a name winning.
  const jar = new Map<string, string>();
  const keep = (headers: http.IncomingHttpHeaders) => {
    for (const c of headers['set-cookie'] ?? []) {
      const pair = c.split(';')[0];
      jar.set(pair.split('=')[0], pair);
    }
  };
  keep(page.headers);
  const cookie = [...jar.values()].join('; ');
  const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const form = new URLSearchParams({ _csrf: csrf, email, password: PASSWORD }).toString();
  const res = await request(port, host, 'POST', loginPath, form, cookie);
  if (res.status !== 303) throw new Error(`sign-in at ${host}${loginPath} answered ${res.status}`);
  keep(res.headers);
  return [...jar.values()].join('; ');
}

export interface Result { rps: number; p99: number; errors: number; non2xx: number }

export async function load(port: number, pathname: string, headers: Record<string, string>, connections: number): Promise<Result> {
  const r = await autocannon({ url: `http://127.0.0.1:${port}${pathname}`, headers, connections, duration: SECONDS });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

