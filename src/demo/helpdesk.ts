// The demo's living helpdesk: a second technician, customers with contacts (the
// main contact contact@demo.test among them) and 36 tickets in every status and
// priority, with conversations spread over the last five weeks. Everything is
// made by the domain verbs, as a user would make it; only the timestamps are
// moved back afterwards so the lists look lived in. Every address is @demo.test.
import type { Em } from '../db/orm.js';
import { actingAs, actorOf } from '../domain/actor.js';
import { Contact } from '../domain/contact/contact.js';
import { createContact } from '../domain/contact/contacts.js';
import { setContactPassword } from '../domain/contact/portal-auth.js';
import { Customer } from '../domain/customer/customer.js';
import { createCustomer } from '../domain/customer/customers.js';
import { Technician } from '../domain/technician/technician.js';
import { inviteTechnician } from '../domain/technician/technicians.js';
import type { Tenant } from '../domain/tenant/tenant.js';
import { assign, changeStatus } from '../domain/ticket/changes.js';
import { openTicket } from '../domain/ticket/open-ticket.js';
import { addReply } from '../domain/ticket/replies.js';
import {
  Ticket, TicketEvent, TicketMessage, type TicketPriority, type TicketSource, type TicketStatus, type TicketType,
} from '../domain/ticket/ticket.js';
import { hashPassword } from '../lib/passwords.js';
import type { DemoStep } from './seed.js';

export const DEMO_TECHNICIAN = { name: 'Marco Bruno', email: 'marco@demo.test' } as const;
export const DEMO_CONTACT_EMAIL = 'contact@demo.test';

interface DemoContact { key: string; firstName: string; lastName: string; email: string; phone: string; isMain?: boolean; portal: boolean }
interface DemoCustomer { name: string; notes: string; contacts: DemoContact[] }

export const DEMO_CUSTOMERS: DemoCustomer[] = [
  {
    name: 'Rossi Impianti', notes: 'Heating and plumbing installer, 12 people. Office in Bologna.', contacts: [
      { key: 'giulia', firstName: 'Giulia', lastName: 'Rossi', email: DEMO_CONTACT_EMAIL, phone: '+39 051 555 0101', isMain: true, portal: true },
      { key: 'paolo', firstName: 'Paolo', lastName: 'Ferri', email: 'paolo.ferri@demo.test', phone: '+39 051 555 0102', portal: true },
    ],
  },
  {
    name: 'Verdi Logistica', notes: 'Warehouse and shipping. Label printers are business critical.', contacts: [
      { key: 'luca', firstName: 'Luca', lastName: 'Verdi', email: 'luca.verdi@demo.test', phone: '+39 02 555 0201', isMain: true, portal: true },
      { key: 'sara', firstName: 'Sara', lastName: 'Conti', email: 'sara.conti@demo.test', phone: '+39 02 555 0202', portal: true },
      { key: 'andrea', firstName: 'Andrea', lastName: 'Galli', email: 'andrea.galli@demo.test', phone: '+39 02 555 0203', portal: false },
    ],
  },
  {
    name: 'Studio Legale Bianchi', notes: 'Law firm, confidential data: no remote sessions without asking first.', contacts: [
      { key: 'elena', firstName: 'Elena', lastName: 'Bianchi', email: 'elena.bianchi@demo.test', phone: '+39 06 555 0301', isMain: true, portal: true },
      { key: 'franco', firstName: 'Franco', lastName: 'Moretti', email: 'franco.moretti@demo.test', phone: '+39 06 555 0302', portal: true },
    ],
  },
  {
    name: 'Neri Costruzioni', notes: 'Builder with a head office and changing building sites.', contacts: [
      { key: 'marta', firstName: 'Marta', lastName: 'Neri', email: 'marta.neri@demo.test', phone: '+39 011 555 0401', isMain: true, portal: true },
      { key: 'davide', firstName: 'Davide', lastName: 'Neri', email: 'davide.neri@demo.test', phone: '+39 011 555 0402', portal: true },
      { key: 'chiara', firstName: 'Chiara', lastName: 'Longo', email: 'chiara.longo@demo.test', phone: '+39 011 555 0403', portal: true },
      { key: 'roberto', firstName: 'Roberto', lastName: 'Sala', email: 'roberto.sala@demo.test', phone: '+39 011 555 0404', portal: false },
    ],
  },
];

/** Who writes: the requester, the demo admin (tech@demo.test) or the second technician. */
type Who = 'contact' | 'tech' | 'marco';
/** One message of the conversation; `note` makes it an internal note. */
type Line = [who: Who, body: string, note?: 'note'];

interface DemoTicket {
  daysAgo: number;
  contact: string;
  source: TicketSource;
  title: string;
  description: string;
  priority: TicketPriority;
  type: TicketType;
  status: TicketStatus;
  assignee: 'tech' | 'marco' | null;
  talk: Line[];
}

const t = (daysAgo: number, contact: string, source: TicketSource, priority: TicketPriority, type: TicketType, status: TicketStatus,
  assignee: DemoTicket['assignee'], title: string, description: string, talk: Line[] = []): DemoTicket =>
  ({ daysAgo, contact, source, priority, type, status, assignee, title, description, talk });

/** Oldest first, so ticket numbers grow with time as they would have. */
export const DEMO_TICKETS: DemoTicket[] = [
  t(35, 'giulia', 'portal', 'low', 'incident', 'closed', 'tech', 'Office printer no longer prints double-sided',
    'Since Monday the printer in the office prints every page on its own sheet, even with "both sides" ticked.', [
      ['tech', 'Hello Giulia, I have pushed the updated printer driver to the office PCs. Could you try again?'],
      ['contact', 'It works again, thank you!'],
    ]),
  t(34, 'luca', 'email', 'medium', 'request', 'closed', 'marco', 'New laptop for the warehouse manager',
    'Our new warehouse manager starts next week and needs a laptop with the shipping software.', [
      ['marco', 'Ordered a ThinkPad T14 from the usual supplier, delivery Thursday.', 'note'],
      ['marco', 'The laptop is ready with the shipping software installed. I will bring it on Friday at 10:00.'],
      ['contact', 'Perfect, see you on Friday.'],
    ]),
  t(33, 'elena', 'portal', 'medium', 'incident', 'closed', 'tech', 'PDF attachments do not open in Outlook',
    'Double-clicking a PDF attachment does nothing. Saving it first and opening it works.', [
      ['tech', 'Could you tell me which Outlook version you see under File > Office Account?'],
      ['contact', 'Outlook 2021, on Windows 11.'],
      ['tech', 'I have reset the attachment handler: PDFs open in Acrobat again. Let me know if any other file type misbehaves.'],
    ]),
  t(31, 'marta', 'technician', 'high', 'request', 'closed', 'marco', 'Wi-Fi for the new site office',
    'Asked on the phone: the site office in Via Roma needs Wi-Fi for three laptops from next week.', [
      ['marco', 'We have two access points in stock; taking them on Tuesday.', 'note'],
      ['marco', 'The Wi-Fi is up at the site office. The network is "NeriCantiere"; I gave the password to Marta in person.'],
      ['contact', 'Works great, thanks.'],
    ]),
  t(30, 'paolo', 'portal', 'high', 'problem', 'resolved', 'tech', 'VPN disconnects every hour',
    'When I work from home the VPN drops every hour and I lose what I was typing in the accounting software.', [
      ['tech', 'We found the cause: the idle timeout on the firewall was 60 minutes. I have raised it to 10 hours.'],
      ['tech', 'Changed the SSL-VPN idle timeout from 3600 to 36000 seconds on the office firewall.', 'note'],
      ['contact', 'No drops since yesterday, thank you.'],
    ]),
  t(29, 'sara', 'email', 'low', 'question', 'closed', 'marco', 'Password reset for the shipping portal',
    'I forgot my password for the courier\'s shipping portal. Can you reset it?', [
      ['marco', 'Done: the portal will send you an email with a link to choose a new password.'],
      ['contact', 'Got it, thanks.'],
    ]),
  t(28, 'franco', 'portal', 'low', 'incident', 'resolved', 'tech', 'Scanner saves to the wrong folder',
    'My scans end up in Elena\'s folder instead of mine.', [
      ['tech', 'The scanner now saves your scans to \\\\server\\scans\\Franco. Please try one and tell me if it arrives.'],
    ]),
  t(27, 'chiara', 'portal', 'medium', 'incident', 'resolved', 'marco', 'Outlook keeps asking for the password',
    'Every few minutes Outlook shows the sign-in window again.', [
      ['marco', 'Please sign out of Office (File > Office Account > Sign out) and in again. If it asks again, call me.'],
      ['contact', 'Did that, it stopped.'],
      ['marco', 'Stale token in Credential Manager; cleared it remotely before she signed in again.', 'note'],
    ]),
  t(26, 'giulia', 'portal', 'medium', 'request', 'closed', 'tech', 'Give Paolo access to the accounting mailbox',
    'Paolo needs to read and send from amministrazione@ as well.', [
      ['tech', 'Done: Paolo can open the accounting mailbox in Outlook now. It may take up to an hour to appear.'],
      ['contact', 'He sees it, thanks.'],
    ]),
  t(25, 'luca', 'portal', 'critical', 'incident', 'resolved', 'marco', 'Warehouse label printer prints blank labels',
    'The Zebra printer at the loading bay prints empty labels. No shipment can leave.', [
      ['contact', 'Trucks are waiting, please hurry.'],
      ['marco', 'On my way, I will be there in 30 minutes.'],
      ['marco', 'Print head dirty and media set to thermal transfer without a ribbon. Cleaned, set to direct thermal.', 'note'],
      ['marco', 'Fixed on site: the printer was set for ribbon labels. All labels print again.'],
    ]),
  t(24, 'elena', 'email', 'medium', 'request', 'resolved', 'tech', 'Renew the studio\'s domain name',
    'We received a reminder that studiobianchi.example expires at the end of the month.', [
      ['tech', 'Renewed for two years. The invoice follows with the monthly one.'],
    ]),
  t(22, 'davide', 'portal', 'medium', 'request', 'pending', 'marco', 'AutoCAD licence for a new colleague',
    'A new surveyor joins us on the 1st and needs AutoCAD.', [
      ['marco', 'Which edition does your colleague need: AutoCAD LT or the full AutoCAD?'],
      ['contact', 'Full AutoCAD, the same as mine.'],
      ['marco', 'Asked the distributor for a quote for one more seat, waiting for it.', 'note'],
      ['marco', 'We have asked the distributor for a quote and will come back to you as soon as we have it.'],
    ]),
  t(21, 'giulia', 'portal', 'high', 'problem', 'pending', 'tech', 'The backup report shows a warning',
    'The nightly backup email has said "Warning" for three days now.', [
      ['tech', 'Backup job "NAS" warns about 2 locked files: Outlook data files left open overnight.', 'note'],
      ['tech', 'The warning is about two Outlook files left open during the backup. Could everyone close Outlook in the evening? We will watch the next runs.'],
    ]),
  t(20, 'andrea', 'technician', 'low', 'request', 'resolved', 'marco', 'Replace the broken monitor at the front desk',
    'Reported by phone: the front desk monitor flickers and goes dark.', [
      ['marco', 'Replaced it with a 24" monitor; the old one goes to recycling.'],
    ]),
  t(19, 'roberto', 'email', 'high', 'incident', 'pending', 'tech', 'Phone extension 214 has no dial tone',
    'The phone in the site manager\'s office is silent since this morning.', [
      ['tech', 'Could you check that the phone cable is in the wall socket marked PHONE, not in the one marked PC?'],
      ['tech', 'If the cable is right, port 14 on the switch is probably dead. Waiting for Roberto.', 'note'],
    ]),
  t(18, 'sara', 'portal', 'medium', 'problem', 'pending', 'marco', 'Excel crashes when opening the big price list',
    'The 2025 price list (about 40 MB) makes Excel close without a message.', [
      ['marco', 'Could you send us the file, or a copy without the prices, so that we can reproduce the crash?'],
    ]),
  t(17, 'paolo', 'portal', 'low', 'incident', 'resolved', 'tech', 'Second screen stays black after docking',
    'When I put the laptop in the dock only one screen comes on.', [
      ['tech', 'I have updated the dock\'s firmware remotely. Please undock and dock the laptop again.'],
      ['contact', 'Both screens work now, thanks!'],
    ]),
  t(16, 'elena', 'portal', 'high', 'question', 'closed', 'tech', 'The antivirus flagged a file in Downloads',
    'A red window said a threat was found in an invoice I downloaded. Is my PC safe?', [
      ['tech', 'We checked: it was a macro in an invoice from an unknown sender. It is quarantined and nothing ran. Please delete the email.'],
      ['tech', 'Sample sent to the antivirus vendor; nothing suspicious in the firewall logs.', 'note'],
      ['contact', 'Deleted, thank you for the quick check.'],
    ]),
  t(15, 'marta', 'portal', 'medium', 'request', 'pending', 'marco', 'Quote for five PCs for the site office',
    'We need five desktop PCs for the new site office, with Windows and Office.', [
      ['marco', 'The quote is on its way by email: five desktops with Windows 11 Pro, set-up included. Shall we go ahead?'],
    ]),
  t(14, 'luca', 'portal', 'medium', 'problem', 'open', 'marco', 'Shared drive W: is slow',
    'Opening folders on W: takes up to a minute.', [
      ['contact', 'It is slow mostly in the morning, between 8 and 10.'],
      ['marco', 'The NAS reports SMART warnings on disk 3: check the RAID before anything else.', 'note'],
    ]),
  t(13, 'giulia', 'portal', 'high', 'request', 'pending', 'tech', 'New colleague Anna: accounts and laptop',
    'Anna Greco joins the office. She needs email, VPN and a laptop.', [
      ['tech', 'What is her start date and role? We will prepare email, VPN and a laptop.'],
      ['contact', 'She starts on Monday, in accounting with Paolo.'],
      ['tech', 'Email and VPN are ready. The laptop arrives on Friday; we will set it up and bring it on Monday morning.'],
    ]),
  t(12, 'chiara', 'email', 'low', 'problem', 'open', null, 'Calendar invitations arrive twice',
    'Every meeting invitation shows up twice in my calendar.', [
      ['contact', 'It happens with invitations from outside the company too.'],
    ]),
  t(11, 'franco', 'portal', 'low', 'question', 'open', 'tech', 'Cannot print from the tablet',
    'I would like to print documents from my tablet to the office printer.', [
      ['tech', 'Which tablet is it, and from which app are you trying to print?'],
    ]),
  t(10, 'davide', 'portal', 'high', 'incident', 'open', 'marco', 'Site camera offline',
    'The camera at the Via Roma site has shown "offline" since last night.', [
      ['marco', 'The 4G router at the site reports a very weak signal.', 'note'],
      ['marco', 'The camera\'s 4G router has lost its signal. We are looking into an external antenna.'],
    ]),
  t(9, 'paolo', 'portal', 'medium', 'incident', 'open', null, 'Invoicing software shows an update error',
    'At start the invoicing program says "Update failed (code 0x80070005)" and then opens normally.'),
  t(8, 'sara', 'email', 'low', 'request', 'pending', 'tech', 'Admin rights to install a browser plugin',
    'Could I have administrator rights to install a plugin for the courier\'s website?', [
      ['tech', 'We would rather install it for you: which plugin is it, and where does it come from?'],
      ['tech', 'No local admin rights for users (our policy). Install it ourselves once we know what it is.', 'note'],
    ]),
  t(7, 'elena', 'portal', 'high', 'incident', 'open', 'tech', 'Emails to a client bounce',
    'Every email to our client at the Studio Gialli comes back undelivered.', [
      ['tech', 'Could you forward us the message that comes back?'],
      ['contact', 'Forwarded just now.'],
      ['tech', 'Their provider lists our outgoing IP on a block list; removal requested.', 'note'],
    ]),
  t(6, 'luca', 'technician', 'medium', 'request', 'open', 'marco', 'Firewall firmware update window',
    'The firewall needs a firmware update (security fix).', [
      ['marco', 'We would like to update the firewall on Saturday between 8:00 and 8:30; the internet will be down for about 10 minutes. Is that all right?'],
    ]),
  t(5, 'marta', 'portal', 'critical', 'incident', 'open', 'marco', 'Cannot reach the accounting server from home',
    'The VPN says "connection failed". Payroll must go out today.', [
      ['contact', 'Urgent please: payroll has to be sent to the bank by 16:00.'],
      ['marco', 'Looking at it now. Your VPN account had expired; I have renewed it. Please try again.'],
      ['contact', 'Still failing, now with error 809.'],
    ]),
  t(4, 'giulia', 'portal', 'low', 'question', 'open', null, 'Quote for Microsoft 365 Business Premium',
    'How much would it cost to move all twelve of us to Business Premium?'),
  t(3.2, 'roberto', 'technician', 'low', 'request', 'open', null, 'Toner for the site printer',
    'Asked on the phone: the printer at the site office is out of black toner.'),
  t(3, 'andrea', 'email', 'medium', 'problem', 'open', 'marco', 'Hard disk noise in PC WH-02',
    'The PC at the warehouse desk makes a clicking noise.', [
      ['marco', 'Likely a failing disk: back it up first, then swap it at the next visit.', 'note'],
    ]),
  t(2, 'franco', 'portal', 'medium', 'incident', 'open', null, 'Teams does not find the camera',
    'In Teams the camera list is empty.', [
      ['contact', 'The camera works in the browser, just not in the Teams app.'],
    ]),
  t(1.5, 'giulia', 'portal', 'critical', 'incident', 'open', 'tech', 'The server room is very hot',
    'The air conditioning in the server room seems to be off, and the room is hot.', [
      ['tech', 'We are on our way to check the air conditioning. Please leave the door open meanwhile.'],
      ['tech', 'If the compressor is down, call the air-conditioning supplier straight away.', 'note'],
    ]),
  t(1, 'davide', 'portal', 'low', 'question', 'open', null, 'Add the new site to the shared calendar',
    'Can the Via Roma site get its own colour in the shared calendar?'),
  t(0.2, 'paolo', 'portal', 'medium', 'question', 'open', null, 'My password expires in 3 days',
    'Windows says my password expires soon. What should I do?'),
];

const HOUR = 3_600_000;

export function helpdeskSteps(password: string): DemoStep[] {
  return [
    {
      name: `a second technician, ${DEMO_TECHNICIAN.name} (${DEMO_TECHNICIAN.email})`,
      async run(em: Em, tenant: Tenant) {
        if (await em.count(Technician, { email: DEMO_TECHNICIAN.email })) return false;
        const marco = await inviteTechnician(em, tenant, { ...DEMO_TECHNICIAN, role: 'technician' });
        // A password right away, so the demo can be tried as either technician.
        marco.passwordHash = await hashPassword(password);
        await em.flush();
        return true;
      },
    },
    {
      name: `${DEMO_CUSTOMERS.length} customers with their contacts (main contact ${DEMO_CONTACT_EMAIL})`,
      async run(em: Em, tenant: Tenant) {
        if (await em.count(Contact, { email: DEMO_CONTACT_EMAIL })) return false;
        for (const c of DEMO_CUSTOMERS) {
          const customer = await em.findOne(Customer, { name: c.name }) ?? await createCustomer(em, tenant, { name: c.name, notes: c.notes });
          for (const p of c.contacts) {
            if (await em.count(Contact, { email: p.email })) continue;
            const contact = await createContact(em, tenant, {
              firstName: p.firstName, lastName: p.lastName, email: p.email, phone: p.phone,
              customer: String(customer.id), isMain: p.isMain ?? false, portalAccess: p.portal,
            }, { source: 'manual' });
            if (p.portal) await setContactPassword(em, tenant, contact, password, 'set by the demo seed');
          }
        }
        return true;
      },
    },
    {
      name: `${DEMO_TICKETS.length} tickets with conversations`,
      async run(em: Em, tenant: Tenant) {
        const first = DEMO_TICKETS[0];
        if (await em.count(Ticket, { title: first.title, contact: { email: DEMO_CONTACT_EMAIL } })) return false;
        await seedTickets(em, tenant);
        return true;
      },
    },
  ];
}

async function seedTickets(em: Em, tenant: Tenant): Promise<void> {
  const emails = new Map(DEMO_CUSTOMERS.flatMap((c) => c.contacts.map((p) => [p.key, p.email] as const)));
  const contacts = new Map<string, Contact>();
  for (const [key, email] of emails) {
    const contact = await em.findOne(Contact, { email }, { populate: ['customer'] });
    if (!contact) throw new Error(`The demo contact ${email} is missing`);
    contacts.set(key, contact);
  }
  const technicians = {
    tech: await em.findOneOrFail(Technician, { role: 'admin' }, { orderBy: { id: 'asc' } }),
    marco: await em.findOneOrFail(Technician, { email: DEMO_TECHNICIAN.email }),
  };
  const now = Date.now();
  const stamped = new Set<string>();

  for (const spec of DEMO_TICKETS) {
    const contact = contacts.get(spec.contact)!;
    const assignee = spec.assignee ? technicians[spec.assignee] : null;
    const handler = assignee ?? technicians.tech;
    const start = now - spec.daysAgo * 24 * HOUR;
    // The conversation's moments: evenly spaced after the opening, never in the future.
    const moments = spec.talk.length + 3;
    const gap = Math.min(20 * HOUR, (now - start - 10 * 60_000) / moments);
    let step = 0;
    const next = () => new Date(start + ++step * gap);

    const ticket = await actingAs(actorOf(spec.source === 'technician' ? handler : contact), () => openTicket(em, tenant, {
      contact, title: spec.title, description: spec.description, priority: spec.priority, type: spec.type, source: spec.source,
      openedBy: spec.source === 'technician' ? handler : null,
    }));
    ticket.createdAt = new Date(start);
    await stamp(em, ticket, new Date(start), stamped);
    if (assignee) {
      await actingAs(actorOf(technicians.tech), () => assign(em, tenant, ticket, assignee));
      await stamp(em, ticket, new Date(start + Math.min(gap / 3, 25 * 60_000)), stamped);
    }
    for (const [who, body, note] of spec.talk) {
      const author = who === 'contact' ? contact : technicians[who];
      await actingAs(actorOf(author), () => addReply(em, tenant, ticket, { body, author, internal: note === 'note' }));
      await stamp(em, ticket, next(), stamped);
    }
    const path: TicketStatus[] = spec.status === 'closed' ? ['resolved', 'closed'] : spec.status === 'open' ? [] : [spec.status];
    for (const status of path) {
      await actingAs(actorOf(handler), () => changeStatus(em, tenant, ticket, status));
      await stamp(em, ticket, next(), stamped);
    }
  }
  await em.flush();
}

/** Moves what the last verb wrote on this ticket (its messages and history lines) to `when`. */
async function stamp(em: Em, ticket: Ticket, when: Date, stamped: Set<string>): Promise<void> {
  const rows: Array<TicketEvent | TicketMessage> = [
    ...await em.find(TicketEvent, { ticket }),
    ...await em.find(TicketMessage, { ticket }),
  ];
  for (const row of rows) {
    const key = `${row instanceof TicketEvent ? 'e' : 'm'}${row.id}`;
    if (stamped.has(key)) continue;
    stamped.add(key);
    row.createdAt = when;
  }
  ticket.updatedAt = when;
  await em.flush();
}
