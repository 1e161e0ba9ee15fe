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

const lists = new Map<unknown, Map<string, string>>();

/** `alias.column` for each column, `as prefix + column` when a prefix is given (made once, then remembered). */
export function selectList<T extends object>(entity: EntityName<T>, alias: string, prefix = ''): string {
  let byAlias = lists.get(entity);
  if (!byAlias) lists.set(entity, (byAlias = new Map()));
  let list = byAlias.get(`${alias}|${prefix}`);
  if (list === undefined) {
    list = columnsOf(entity).map((c) => (prefix ? `${alias}.${c} as ${prefix}${c}` : `${alias}.${c}`)).join(', ');
    byAlias.set(`${alias}|${prefix}`, list);
  }
  return list;
}
