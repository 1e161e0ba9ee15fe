// What a piece of work hands the sockets: the text of each write (write and writev) made
// while it runs, to tell statements sent together from statements sent one by one.
import net from 'node:net';

/** `fn`'s value and the text of each socket write made while it ran. */
export async function socketWrites<T>(fn: () => Promise<T>): Promise<{ value: T; writes: string[] }> {
  const proto = net.Socket.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const { _write, _writev } = proto;
  const writes: string[] = [];
  proto._write = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
    writes.push(String(chunk));
    return _write.call(this, chunk, ...rest);
  };
  proto._writev = function (this: net.Socket, chunks: unknown, ...rest: unknown[]) {
    writes.push((chunks as Array<{ chunk: unknown }>).map((c) => String(c.chunk)).join(''));
    return _writev.call(this, chunks, ...rest);
  };
  try {
    return { value: await fn(), writes };
  } finally {
    Object.assign(proto, { _write, _writev });
  }
}
