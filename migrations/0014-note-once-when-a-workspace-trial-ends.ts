import { Migration } from '@mikro-orm/migrations';

// A workspace's trial ends without a payment provider: it stays on its plan, and the first
// request or job that sees the trial over records it once (an audit event) and sets this.
// Workspaces whose trial is already over are noted on their next request, as any other.
export class NoteOnceWhenAWorkspaceTrialEnds extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table tenants add column trial_end_noted_at timestamptz null');
  }
}
