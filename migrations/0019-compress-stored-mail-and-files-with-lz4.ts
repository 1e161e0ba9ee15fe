import { Migration } from '@mikro-orm/migrations';

// The raw bytes of incoming mail and the files on tickets are compressed with lz4
// rather than PostgreSQL's default pglz: as small for mail and much cheaper to write
// (a mailbox takes mail in bulk; bench/ingest). Only new values are written so; the
// old stay as they are. A server built without lz4 keeps pglz.
export class CompressStoredMailAndFilesWithLz4 extends Migration {
  async up(): Promise<void> {
    this.addSql(`do $$ begin
      alter table inbound_messages alter column raw set compression lz4;
      alter table attachments alter column data set compression lz4;
    exception when feature_not_supported then
      raise notice 'this PostgreSQL has no lz4: stored mail and files stay compressed with pglz';
    end $$`);
  }
}
