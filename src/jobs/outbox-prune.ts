// Captured mail (no SMTP server) holds the credentials it carried: every hour,
// captured files older than a day are deleted.
import { captureDir, pruneCapturedMail } from '../outbound/transport.js';
import type { JobDefinition } from './registry.js';

export const outboxPruneJob: JobDefinition = {
  name: 'outbox-prune',
  every: '1 hour',
  async run() {
    const dir = captureDir();
    if (dir) await pruneCapturedMail(dir);
  },
};
