// A ticket's values in words, as catalogue keys (the words are in messages/<lang>/tickets.ts):
// every screen, snippet or email that names a status, priority, type or source takes the
// key from here. Two forms each: a LABEL is a choice or a heading ("Open", "Aperto"); a WORD
// sits inside a sentence or a badge ("changed status from open to pending").
// Views reach them all as `ticketWords` (app.locals), a row partial as data its list passes.
import type { TicketPriority, TicketSource, TicketStatus, TicketType } from './ticket.js';

export const STATUS_LABEL: Record<TicketStatus, string> = {
  open: 'tickets.status.open', pending: 'tickets.status.pending', resolved: 'tickets.status.resolved', closed: 'tickets.status.closed',
};

export const STATUS_WORD: Record<TicketStatus, string> = {
  open: 'tickets.statusWord.open', pending: 'tickets.statusWord.pending', resolved: 'tickets.statusWord.resolved', closed: 'tickets.statusWord.closed',
};

export const PRIORITY_LABEL: Record<TicketPriority, string> = {
  low: 'tickets.priority.low', medium: 'tickets.priority.medium', high: 'tickets.priority.high', critical: 'tickets.priority.critical',
};

export const PRIORITY_WORD: Record<TicketPriority, string> = {
  low: 'tickets.priorityWord.low', medium: 'tickets.priorityWord.medium', high: 'tickets.priorityWord.high', critical: 'tickets.priorityWord.critical',
};

export const TYPE_LABEL: Record<TicketType, string> = {
  question: 'tickets.type.question', incident: 'tickets.type.incident', problem: 'tickets.type.problem', request: 'tickets.type.request',
};

export const TYPE_WORD: Record<TicketType, string> = {
  question: 'tickets.typeWord.question', incident: 'tickets.typeWord.incident', problem: 'tickets.typeWord.problem', request: 'tickets.typeWord.request',
};

/** How the ticket came in, as the ticket page's header says it ("via email"). */
export const SOURCE_VIA: Record<TicketSource, string> = {
  portal: 'tickets.source.portal', email: 'tickets.source.email', technician: 'tickets.source.technician',
};

/** The history's sentence for a change of each field ("changed status from … to …"). */
export const HISTORY_CHANGE: Record<string, string> = {
  status: 'tickets.history.changed.status', priority: 'tickets.history.changed.priority',
  type: 'tickets.history.changed.type', assignee: 'tickets.history.changed.assignee',
  title: 'ticketPage.history.retitled',
};

/** The words of a history row's values, for the fields whose values are codes (an assignee is a name). */
export const HISTORY_VALUE_WORD: Record<string, Record<string, string>> = { status: STATUS_WORD, priority: PRIORITY_WORD, type: TYPE_WORD };

/** Everything above, for views (app.locals.ticketWords). */
export const ticketWords = {
  status: STATUS_LABEL, statusWord: STATUS_WORD, priority: PRIORITY_LABEL, priorityWord: PRIORITY_WORD,
  type: TYPE_LABEL, typeWord: TYPE_WORD, source: SOURCE_VIA, historyChange: HISTORY_CHANGE, historyValue: HISTORY_VALUE_WORD,
};

export type TicketWords = typeof ticketWords;
