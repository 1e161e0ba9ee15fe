// Who acts on the domain: one Actor (src/current.ts) for the audit log, the ticket
// history and the domain events. Verbs never take it as an argument: the door
// names it when the unit of work begins (the web's signed-in user, a job's
// "system"), and `actingAs` narrows it inside (the mail ingest acts as the sender,
// a rule as itself). Verbs read it with `currentActor()`.
import { Technician } from './technician/technician.js';
import type { Contact } from './contact/contact.js';

export { actingAs, currentActor, SYSTEM, type Actor } from '../current.js';
import type { Actor } from '../current.js';

/** The actor for a person: a technician or a contact. */
export function actorOf(person: Technician | Contact): Actor {
  return person instanceof Technician
    ? { kind: 'technician', id: person.id, name: person.name }
    : { kind: 'contact', id: person.id, name: person.fullName };
}
