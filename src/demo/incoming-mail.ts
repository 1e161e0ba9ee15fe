// The demo's support address (disabled: its host is an example that polls nowhere) and
// an ingest log with one row of each kind, made by the real pipeline from sample messages.
import type { Em } from '../db/orm.js';
import { InboundMessage } from '../domain/mailbox/inbound-message.js';
import { Mailbox } from '../domain/mailbox/mailbox.js';
import { createMailbox } from '../domain/mailbox/mailboxes.js';
import type { Tenant } from '../domain/tenant/tenant.js';
import { ingestMessage } from '../inbound/ingest.js';
import type { DemoStep } from './seed.js';

export const DEMO_SUPPORT_ADDRESS = 'support@demo.test';

const samples = (to: string, contact: string): string[] => [
  `From: ${contact}\nTo: ${to}\nSubject: The shared drive asks for my password again\nMessage-ID: <demo-1@demo.test>\n\nSince this morning the S: drive keeps asking for my password.\n`,
  `From: Nuovo Cliente <nuovo.cliente@example.net>\nTo: ${to}\nSubject: Richiesta di assistenza\nMessage-ID: <demo-2@example.net>\n\nBuongiorno, vorrei assistenza per il mio PC.\n`,
  `From: ${contact}\nTo: ${to}\nSubject: Risposta automatica: fuori sede\nMessage-ID: <demo-3@demo.test>\nAuto-Submitted: auto-replied\n\nSono fuori sede fino a lunedì.\n`,
  `From: ${to}\nTo: ${to}\nSubject: Ticket received\nMessage-ID: <demo-4@demo.test>\n\nA message from our own address: a loop.\n`,
  `From: Mail Delivery System <MAILER-DAEMON@example.net>\nTo: ${to}\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <demo-5@example.net>\n\nThe message could not be delivered.\n`,
];

export function incomingMailSteps(contactEmail: string): DemoStep[] {
  return [
    {
      name: `a support address, ${DEMO_SUPPORT_ADDRESS} (disabled: its IMAP host is an example)`,
      async run(em: Em, tenant: Tenant) {
        if (await em.count(Mailbox, { address: DEMO_SUPPORT_ADDRESS })) return false;
        await createMailbox(em, tenant, {
          address: DEMO_SUPPORT_ADDRESS, host: 'imap.example.com', port: '993', tls: 'tls', username: DEMO_SUPPORT_ADDRESS,
          password: 'not-a-real-password', enabled: false,
        });
        return true;
      },
    },
    {
      name: 'an incoming-mail log with a ticket, a rejected sender, an auto-reply, a loop and a bounce',
      async run(em: Em, tenant: Tenant) {
        if (await em.count(InboundMessage, {})) return false;
        const mailbox = await em.findOneOrFail(Mailbox, { address: DEMO_SUPPORT_ADDRESS });
        // Each message in a unit of work of its own, as the poller takes them (this step's only reads).
        for (const raw of samples(DEMO_SUPPORT_ADDRESS, contactEmail)) {
          await ingestMessage({ tenantId: tenant.id, mailbox: { id: mailbox.id, address: mailbox.address }, raw: Buffer.from(raw) });
        }
        return true;
      },
    },
  ];
}
