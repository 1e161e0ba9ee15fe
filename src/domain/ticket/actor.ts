// Who did something to a ticket: a technician or a contact (the requester or a main contact).
import { Contact } from '../contact/contact.js';
import { Technician } from '../technician/technician.js';

export type TicketActor = Technician | Contact;

export function actorKind(by: TicketActor): 'technician' | 'contact' {
  return by instanceof Technician ? 'technician' : 'contact';
}

export function actorName(by: TicketActor): string {
  return by instanceof Technician ? by.name : by.fullName;
}
