// Runs one of the project's entry points (src/server.ts, src/cli/*.ts) as a
// child process (node --import tsx), as `npm start` / `npm run demo` do.
import { spawn } from 'node:child_process';

export interface Ran { code: number | null; stdout: string; stderr: string }


export function runEntry(entry: string, env: Record<string, string | undefined>, timeoutMs = 60_000, args: string[] = []): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const merged: NodeJS.ProcessEnv = { ...process.env };
    for (const [k, v] of Object.entries(env)) { if (v === undefined) delete merged[k]; else merged[k] = v; }
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${entry} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`)); }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}
