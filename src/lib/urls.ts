import { config } from '../config.js';

export function rootUrl(pathname = '/'): string {
  const c = config();
  return `${c.scheme}://${c.appDomain}${pathname}`;
}

export function tenantUrl(slug: string, pathname = '/'): string {
  const c = config();
  return `${c.scheme}://${slug}.${c.appDomain}${pathname}`;
}
