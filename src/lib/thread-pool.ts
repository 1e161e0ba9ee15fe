// libuv's thread pool, sized before anything uses it (this module is the first that
// src/server.ts imports: the pool starts with the first file read, DNS lookup or hash,
// and keeps its size). argon2 hashes there — each sign-in's ~20 ms of CPU, off the event
// loop — beside file reads, DNS lookups and zlib. One hash per core keeps every core
// busy while people sign in; a thread or two more keep a burst of sign-ins from queueing
// the file reads and lookups of the pages behind its hashes. So: the cores plus two, at
// least libuv's own 4 (on this 2-core machine: 4, libuv's default). UV_THREADPOOL_SIZE,
// when set, wins.
import { availableParallelism } from 'node:os';

process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism() + 2));
