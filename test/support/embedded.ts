// For tests that start the embedded PostgreSQL themselves: free ports, enterable folders.
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A DATA_DIR the user "postgres" can enter (the embedded server runs as it under root). */
export function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sportello-embedded-'));
  chmodSync(dir, 0o755);
  return dir;
}
