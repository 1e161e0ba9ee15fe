import { config } from '../config.js';

/** Under https the cookie takes the __Host- prefix: host-only, Secure, Path=/ — no other subdomain can plant one. */
export function sessionCookieName(): string {
  return config().scheme === 'https' ? '__Host-sportello.sid' : 'sportello.sid';
}
