import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

// An import's outcomes (the report: each row of the file, what became of it and why) are
// kept one row a batch — its lines, emails, outcomes and reasons side by side in arrays,
// in file order — instead of one row a line of the file. The report reads them in order
// (unnest), so it is the same report; but a batch of 1,000 rows now writes one heap tuple,
// two index entries and one key check for its outcomes rather than a thousand of each
// (bench:import: about a fifth of PostgreSQL's work for each row imported). `failed`
// counts the batch's failures, so the page's list of failing rows skips the batches that
// have none. The outcomes already written are regrouped, 1,000 lines a row.
export class KeepAnImportSOutcomesOneRowABatch extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table import_outcome_batches (
      id serial,
      tenant_id int not null,
      import_id int not null,
      first_line int not null,
      last_line int not null,
      lines int[] not null,
      emails text[] not null,
      outcomes text[] not null check (outcomes <@ array['created', 'updated', 'skipped', 'failed']),
      reasons jsonb[] not null,
      failed int not null,
      check (cardinality(lines) > 0 and cardinality(emails) = cardinality(lines) and cardinality(outcomes) = cardinality(lines) and cardinality(reasons) = cardinality(lines)),
      primary key (tenant_id, id),
      foreign key (tenant_id, import_id) references imports (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index import_outcome_batches_import on import_outcome_batches (tenant_id, import_id, last_line)');
    for (const sql of tenantTableSecurity('import_outcome_batches')) this.addSql(sql);
    this.addSql(`insert into import_outcome_batches (tenant_id, import_id, first_line, last_line, lines, emails, outcomes, reasons, failed)
      select tenant_id, import_id, min(line), max(line), array_agg(line order by line), array_agg(email order by line),
             array_agg(outcome::text order by line), array_agg(reason order by line), count(*) filter (where outcome = 'failed')
        from (select o.*, (row_number() over (partition by tenant_id, import_id order by line) - 1) / 1000 as part from import_outcomes o) o
       group by tenant_id, import_id, part`);
    this.addSql('drop table import_outcomes');
  }
}
