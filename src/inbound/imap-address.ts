// Where Sportello may connect for a support mailbox: a public address, unless the
// operator allows private ones (IMAP_PRIVATE_HOSTS; on outside production). The host
// is resolved once and the connection made to that very address (the TLS name stays
// the host's), so a name that answers differently the second time (DNS rebinding)
// cannot lead it inside.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { config } from '../config.js';
import { isPrivateAddress } from '../lib/private-address.js';

export class PrivateAddressError extends Error {
  readonly code = 'PRIVATE_ADDRESS';
  constructor(host: string) {
    super(`${host} is on a private network`);
  }
}

/** The address to connect to for `host`; refuses a private one unless allowed. */
export async function imapAddress(host: string): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare) ? [bare] : (await lookup(bare, { all: true })).map((a) => a.address);
  const allowed = config().imapPrivateHosts ? addresses : addresses.filter((a) => !isPrivateAddress(a));
  if (!allowed.length) throw new PrivateAddressError(host);
  return allowed[0];
}

