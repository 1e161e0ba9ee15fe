// Status, priority, type and assignee, changed in place: POST /tickets/:number/{status,priority,type,assignment}.
// An htmx request gets the properties fragment back with the history swapped out of band;
// a plain form post goes back to the ticket page.
import type { Em } from '../../../db/orm.js';
import type { Tenant } from '../../../domain/tenant/tenant.js';
import { numberParam } from '../../params.js';
import { assign, changePriority, changeStatus, changeType, technicianFor } from '../../../domain/ticket/changes.js';
import { findTicket } from '../../../domain/ticket/queries.js';
import type { Ticket } from '../../../domain/ticket/ticket.js';
import { technician, type TechnicianCtx } from '../../action.js';
import { isFragmentRequest } from '../../reply.js';
import { propertiesLocals, ticketPageLocals } from './page.js';

type Change = (em: Em, tenant: Tenant, ticket: Ticket, body: Record<string, unknown>) => Promise<unknown>;

function changeWith(change: Change) {
  return technician(async ({ em, sql, tenant, req, reply, body, form }: TechnicianCtx) => {
    const ticket = await findTicket(em, numberParam(req.params.number), { forChange: true });
    await form(async (em) => {
      await change(em, tenant, ticket, body);
      if (!isFragmentRequest(req)) return reply.redirect(`/tickets/${ticket.number}`);
      await reply.render('tickets/_changed', await propertiesLocals(em, ticket));
    }, async (propertyErrors) => {
      if (isFragmentRequest(req)) return reply.render('tickets/_changed', { ...await propertiesLocals(em, ticket), propertyErrors }, 422);
      // Without JavaScript the refusal is the whole ticket page, the error beside its field.
      return reply.render('tickets/show', { ...await ticketPageLocals(sql, ticket.number, ticket), propertyErrors }, 422);
    });
  });
}

export const updateStatus = changeWith((em, tenant, ticket, body) => changeStatus(em, tenant, ticket, body.status));
export const updatePriority = changeWith((em, tenant, ticket, body) => changePriority(em, tenant, ticket, body.priority));
export const updateType = changeWith((em, tenant, ticket, body) => changeType(em, tenant, ticket, body.type));
export const updateAssignment = changeWith(async (em, tenant, ticket, body) => assign(em, tenant, ticket, await technicianFor(em, body.assignee)));
