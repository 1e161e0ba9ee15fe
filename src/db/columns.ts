// The columns an entity maps, from the ORM's own metadata: what a plain query must
// select for `em.map` to make a whole entity of its row. Named, never `*`: a
// prepared `select *` fails once a migration adds a column while it is cached.
import { ReferenceKind, type EntityName } from '@mikro-orm/core';
import { getOrm } from './unit-of-work.js';

const cache = new Map<string, string[]>();

export function columnsOf<T extends object>(entity: EntityName<T>): string[] {
  const meta = getOrm().getMetadata().find(entity);
  if (!meta) throw new Error(`Not an entity: ${String(entity)}`);
  let columns = cache.get(meta.className);
  if (!columns) {
    columns = meta.props
      .filter((p) => p.persist !== false && (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE))
      .flatMap((p) => p.fieldNames);
    cache.set(meta.className, columns);
  }
  return columns;
}

/** `alias.column` for each column, `as prefix + column` when a prefix is given. */
export function selectList<T extends object>(entity: EntityName<T>, alias: string, prefix = ''): string {
  return columnsOf(entity).map((c) => (prefix ? `${alias}.${c} as ${prefix}${c}` : `${alias}.${c}`)).join(', ');
}
