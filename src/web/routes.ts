// Every route in one table, shaped as resources. The tenancy test walks this table.
import { Router, type RequestHandler } from 'express';
import * as contacts from './controllers/contacts.js';
import * as customers from './controllers/customers.js';
import * as customerDomainMoves from './controllers/customers/domain-moves.js';
import * as contactPasswordResets from './controllers/contacts/password-resets.js';
import * as contactImports from './controllers/contacts/imports.js';
import * as contactExports from './controllers/contacts/exports.js';
import * as dashboard from './controllers/dashboard.js';
import * as ticketQuickReplies from './controllers/tickets/quick-replies.js';
import * as emailSettings from './controllers/admin/email-settings.js';
import * as adminNotifications from './controllers/admin/notifications.js';
import * as profileNotifications from './controllers/profile/notifications.js';
import * as emailTemplates from './controllers/admin/email-templates.js';
import * as mailLog from './controllers/admin/mail-log.js';
import * as incomingMail from './controllers/admin/incoming-mail.js';
import * as mailboxes from './controllers/admin/mailboxes.js';
import * as mailboxOauth from './controllers/admin/mailbox-oauth.js';
import * as plan from './controllers/admin/plan.js';
import * as quickReplies from './controllers/admin/quick-replies.js';
import * as technicians from './controllers/admin/technicians.js';
import * as technicianAccess from './controllers/admin/technicians/access.js';
import * as technicianInvitation from './controllers/admin/technicians/invitation.js';
import * as technicianRole from './controllers/admin/technicians/role.js';
import * as technicianSecondFactor from './controllers/admin/technicians/second-factor.js';
import * as security from './controllers/admin/security.js';
import * as workspace from './controllers/admin/workspace.js';
import * as integrations from './controllers/admin/integrations.js';
import * as profile from './controllers/profile.js';
import * as profileTwoFactor from './controllers/profile/two-factor.js';
import * as profileEmail from './controllers/profile/email.js';
import * as profilePassword from './controllers/profile/password.js';
import * as profileSessions from './controllers/profile/sessions.js';
import { showSecondStep, verifySecondStep } from './second-step.js';
import * as passwords from './controllers/passwords.js';
import * as sessions from './controllers/sessions.js';
import * as signup from './controllers/signup.js';
import * as portalAccount from './controllers/portal/account.js';
import * as portalPasswords from './controllers/portal/passwords.js';
import * as portalSessions from './controllers/portal/sessions.js';
import * as tickets from './controllers/tickets.js';
import * as unlocks from './controllers/unlocks.js';
import * as ticketAttachments from './controllers/tickets/attachments.js';
import * as ticketProperties from './controllers/tickets/properties.js';
import * as ticketReplies from './controllers/tickets/replies.js';
import * as ticketTitle from './controllers/tickets/title.js';
import * as ticketBulkEdits from './controllers/tickets/bulk-edits.js';
import * as portalTickets from './controllers/portal/tickets.js';
import * as portalTicketAttachments from './controllers/portal/tickets/attachments.js';
import * as portalTicketReplies from './controllers/portal/tickets/replies.js';
import * as companyTickets from './controllers/portal/company-tickets.js';
import { uploads } from './middleware/uploads.js';
import * as rules from './controllers/admin/rules.js';
import * as ruleOrder from './controllers/admin/rules/order.js';
import * as ruleConditions from './controllers/admin/rules/conditions.js';
import * as ruleActions from './controllers/admin/rules/actions.js';
import * as ruleTest from './controllers/admin/rules/test.js';
import * as kb from './controllers/kb.js';
import * as kbCategories from './controllers/kb-categories.js';
import * as portalKb from './controllers/portal/kb.js';

type Method = 'get' | 'post';
/** `handlers` run in order through express's own chain, which catches every promise they return. */
export interface Route { method: Method; path: string; handlers: RequestHandler[] }

const route = (method: Method, path: string, ...handlers: RequestHandler[]): Route => ({ method, path, handlers });

/** The root host (APP_DOMAIN): landing page and signup. */
export const rootRoutes: Route[] = [
  route('get', '/', signup.landing),
  route('get', '/signup', signup.newSignup),
  route('post', '/signup', signup.createSignup),
  route('get', '/find', signup.findWorkspace),
  route('post', '/find', signup.goToWorkspace),
  route('get', '/oauth/mailbox/callback', mailboxOauth.relay),
];

/** A tenant's host ({slug}.APP_DOMAIN). */
export const tenantRoutes: Route[] = [
  route('get', '/login', sessions.newSession),
  route('post', '/login', sessions.createSession),
  route('get', '/login/two-factor', showSecondStep),
  route('post', '/login/two-factor', verifySecondStep),
  route('post', '/logout', sessions.destroySession),
  route('get', '/login/unlock/:token', unlocks.technician.show),
  route('post', '/login/unlock/:token', unlocks.technician.create),
  route('get', '/session/handover/:token', sessions.handover),
  route('get', '/password/:token', passwords.edit),
  route('post', '/password/:token', passwords.update),
  route('get', '/forgot-password', passwords.newRequest),
  route('post', '/forgot-password', passwords.createRequest),

  route('get', '/', dashboard.show),
  route('get', '/profile', profile.show),
  route('post', '/profile/language', profile.updateLanguage),
  route('get', '/profile/two-factor', profileTwoFactor.show),
  route('post', '/profile/two-factor', profileTwoFactor.create),
  route('post', '/profile/name', profile.updateName),
  route('get', '/profile/notifications', profileNotifications.show),
  route('post', '/profile/notifications', profileNotifications.update),
  route('get', '/profile/password', profilePassword.edit),
  route('post', '/profile/password', profilePassword.update),
  route('get', '/profile/email', profileEmail.edit),
  route('post', '/profile/email', profileEmail.create),
  route('get', '/profile/email/:token', profileEmail.show),
  route('post', '/profile/email/:token', profileEmail.confirm),
  route('post', '/profile/sessions/others/deletion', profileSessions.destroyOthers),
  route('post', '/profile/sessions/:sessionId/deletion', profileSessions.destroy),

  route('get', '/customers', customers.index),
  route('get', '/customers/new', customers.newCustomer),
  route('get', '/customers/options', customers.options),
  route('post', '/customers', customers.create),
  route('get', '/customers/:id', customers.show),
  route('get', '/customers/:id/edit', customers.edit),
  route('post', '/customers/:id', customers.update),
  route('get', '/customers/:id/domains', customers.domains),
  route('post', '/customers/:id/domains', customers.applyDomainChanges),
  route('get', '/customers/:id/domain-moves', customerDomainMoves.show),
  route('post', '/customers/:id/domain-moves', customerDomainMoves.create),
  route('get', '/customers/:id/deletion', customers.confirmDeletion),
  route('post', '/customers/:id/deletion', customers.destroy),

  route('get', '/contacts', contacts.index),
  route('get', '/contacts/new', contacts.newContact),
  route('post', '/contacts', contacts.create),
  // Before /contacts/:id, which would take "export" for an id.
  route('get', '/contacts/export', contactExports.show),
  route('get', '/contacts/imports/new', contactImports.newImport),
  route('get', '/contacts/imports/template', contactImports.template),
  route('post', '/contacts/imports', uploads('file', 'technician'), contactImports.create),
  route('get', '/contacts/imports/:id', contactImports.show),
  route('post', '/contacts/imports/:id/preview', contactImports.preview),
  route('post', '/contacts/imports/:id/start', contactImports.start),
  route('post', '/contacts/imports/:id/cancellation', contactImports.cancel),
  route('get', '/contacts/imports/:id/report', contactImports.report),
  route('get', '/contacts/:id', contacts.show),
  route('get', '/contacts/:id/edit', contacts.edit),
  route('post', '/contacts/:id', contacts.update),
  route('get', '/contacts/:id/deletion', contacts.confirmDeletion),
  route('post', '/contacts/:id/deletion', contacts.destroy),
  route('post', '/contacts/:id/password-reset', contactPasswordResets.create),
  route('get', '/contacts/:id/temporary-password', contactPasswordResets.show),

  route('get', '/tickets', tickets.index),
  route('get', '/tickets/new', tickets.newTicket),
  route('get', '/tickets/new/contacts', tickets.contactOptions),
  route('post', '/tickets', tickets.create),
  route('post', '/tickets/bulk-edits', ticketBulkEdits.create),
  route('get', '/tickets/:number', tickets.show),
  route('post', '/tickets/:number/replies', uploads('attachments', 'technician'), ticketReplies.create),
  route('get', '/tickets/:number/title', ticketTitle.show),
  route('get', '/tickets/:number/title/edit', ticketTitle.edit),
  route('post', '/tickets/:number/title', ticketTitle.update),
  route('post', '/tickets/:number/status', ticketProperties.updateStatus),
  route('post', '/tickets/:number/priority', ticketProperties.updatePriority),
  route('post', '/tickets/:number/type', ticketProperties.updateType),
  route('post', '/tickets/:number/assignment', ticketProperties.updateAssignment),
  route('get', '/tickets/:number/attachments/:id', ticketAttachments.show),
  route('get', '/tickets/:number/quick-reply', ticketQuickReplies.show),

  route('get', '/kb', kb.index),
  route('get', '/kb/articles/new', kb.newArticle),
  route('post', '/kb/articles', kb.create),
  route('get', '/kb/articles/:id', kb.edit),
  route('post', '/kb/articles/:id', kb.update),
  route('post', '/kb/articles/:id/deletion', kb.destroy),
  route('post', '/kb/articles/:id/images', uploads('image', 'technician'), kb.createImage),
  route('post', '/kb/preview', kb.preview),
  route('get', '/kb/links', kb.links),
  route('post', '/kb/links/:id', kb.insertLink),
  route('get', '/kb/categories', kbCategories.index),
  route('post', '/kb/categories', kbCategories.create),
  route('get', '/kb/categories/:id', kbCategories.edit),
  route('post', '/kb/categories/:id', kbCategories.update),
  route('post', '/kb/categories/:id/position', kbCategories.move),
  route('get', '/kb/categories/:id/deletion', kbCategories.confirmDeletion),
  route('post', '/kb/categories/:id/deletion', kbCategories.destroy),
  route('get', '/kb/images/:id/deletion', kb.confirmImageDeletion),
  route('post', '/kb/images/:id/deletion', kb.destroyImage),

  route('get', '/admin/workspace', workspace.show),
  route('post', '/admin/workspace', workspace.update),
  route('get', '/admin/technicians', technicians.index),
  route('post', '/admin/technicians', technicians.create),
  route('get', '/admin/technicians/:id', technicians.show),
  route('post', '/admin/technicians/:id/deactivation', technicianAccess.deactivate),
  route('post', '/admin/technicians/:id/activation', technicianAccess.activate),
  route('post', '/admin/technicians/:id/role', technicianRole.update),
  route('post', '/admin/technicians/:id/invitation', technicianInvitation.resend),
  route('post', '/admin/technicians/:id/invitation/deletion', technicianInvitation.revoke),
  route('post', '/admin/technicians/:id/second-factor/deletion', technicianSecondFactor.reset),
  route('get', '/admin/security', security.show),
  route('post', '/admin/security', security.update),
  route('get', '/admin/plan', plan.show),
  route('post', '/admin/plan', plan.update),
  route('get', '/admin/email-settings', emailSettings.show),
  route('post', '/admin/email-settings', emailSettings.update),
  route('post', '/admin/email-settings/public-domains', emailSettings.updatePublicDomains),
  route('get', '/admin/notifications', adminNotifications.show),
  route('post', '/admin/notifications', adminNotifications.update),
  route('get', '/admin/email-templates', emailTemplates.index),
  route('get', '/admin/email-templates/new', emailTemplates.newTemplate),
  route('post', '/admin/email-templates', emailTemplates.create),
  route('post', '/admin/email-templates/preview', emailTemplates.preview),
  route('get', '/admin/email-templates/:id', emailTemplates.edit),
  route('post', '/admin/email-templates/:id', emailTemplates.update),
  route('get', '/admin/email-templates/:id/deletion', emailTemplates.confirmDestroy),
  route('post', '/admin/email-templates/:id/deletion', emailTemplates.destroy),
  route('get', '/admin/quick-replies', quickReplies.index),
  route('get', '/admin/quick-replies/new', quickReplies.newQuickReply),
  route('post', '/admin/quick-replies', quickReplies.create),
  route('get', '/admin/quick-replies/:id', quickReplies.edit),
  route('post', '/admin/quick-replies/:id', quickReplies.update),
  route('get', '/admin/quick-replies/:id/deletion', quickReplies.confirmDestroy),
  route('post', '/admin/quick-replies/:id/deletion', quickReplies.destroy),
  route('get', '/admin/mail-log', mailLog.index),
  route('get', '/admin/mail-log/:id', mailLog.show),
  route('get', '/admin/mail-log/:id/raw', mailLog.raw),
  route('get', '/admin/mailboxes/new', mailboxes.newMailbox),
  route('post', '/admin/mailboxes', mailboxes.create),
  route('post', '/admin/mailboxes/connection-test', mailboxes.testNew),
  route('get', '/admin/mailboxes/oauth/callback', mailboxOauth.callback),
  route('get', '/admin/mailboxes/oauth-apps/:provider', mailboxOauth.editApp),
  route('post', '/admin/mailboxes/oauth-apps/:provider', mailboxOauth.updateApp),
  route('post', '/admin/mailboxes/oauth-apps/:provider/deletion', mailboxOauth.destroyApp),
  route('get', '/admin/mailboxes/:id', mailboxes.edit),
  route('post', '/admin/mailboxes/:id', mailboxes.update),
  route('post', '/admin/mailboxes/:id/enabled', mailboxes.updateEnabled),
  route('post', '/admin/mailboxes/:id/connection-test', mailboxes.testSaved),
  route('get', '/admin/mailboxes/:id/deletion', mailboxes.confirmDestroy),
  route('post', '/admin/mailboxes/:id/oauth', mailboxOauth.connect),
  route('post', '/admin/mailboxes/:id/deletion', mailboxes.destroy),
  route('get', '/admin/incoming-mail', incomingMail.index),
  route('post', '/admin/incoming-mail/:id/admission', incomingMail.admit),
  route('post', '/admin/incoming-mail/:id/dismissal', incomingMail.dismiss),
  route('post', '/admin/incoming-mail/:id/retry', incomingMail.retry),
  route('get', '/admin/incoming-mail/:id/raw', incomingMail.raw),
  route('get', '/admin/integrations', integrations.index),
  route('get', '/admin/integrations/entra/new', integrations.newConnection),
  route('post', '/admin/integrations/entra', integrations.create),
  route('get', '/admin/integrations/entra/:id', integrations.edit),
  route('post', '/admin/integrations/entra/:id', integrations.update),
  route('post', '/admin/integrations/entra/:id/connection-test', integrations.test),
  route('post', '/admin/integrations/entra/:id/sync', integrations.sync),
  route('post', '/admin/integrations/entra/:id/deletion', integrations.destroy),
  route('get', '/admin/rules', rules.index),
  route('get', '/admin/rules/new', rules.newRule),
  route('post', '/admin/rules', rules.create),
  route('get', '/admin/rules/:id', rules.show),
  route('post', '/admin/rules/:id', rules.update),
  route('post', '/admin/rules/:id/deletion', rules.destroy),
  route('post', '/admin/rules/:id/position', ruleOrder.move),
  route('post', '/admin/rules/:id/activation', ruleOrder.activation),
  route('get', '/admin/rules/:id/conditions/new', ruleConditions.newRow),
  route('post', '/admin/rules/:id/conditions', ruleConditions.create),
  route('get', '/admin/rules/:id/conditions/:conditionId', ruleConditions.showRow),
  route('post', '/admin/rules/:id/conditions/:conditionId', ruleConditions.update),
  route('post', '/admin/rules/:id/conditions/:conditionId/deletion', ruleConditions.destroy),
  route('get', '/admin/rules/:id/actions/new', ruleActions.newRow),
  route('post', '/admin/rules/:id/actions', ruleActions.create),
  route('get', '/admin/rules/:id/actions/:actionId', ruleActions.showRow),
  route('post', '/admin/rules/:id/actions/:actionId', ruleActions.update),
  route('post', '/admin/rules/:id/actions/:actionId/deletion', ruleActions.destroy),
  route('post', '/admin/rules/:id/test', ruleTest.create),

  // The portal
  route('get', '/portal', (_req, res) => res.redirect(303, '/portal/tickets')),
  route('get', '/portal/login', portalSessions.newSession),
  route('post', '/portal/login', portalSessions.createSession),
  route('post', '/portal/logout', portalSessions.destroySession),
  route('get', '/portal/login/unlock/:token', unlocks.portal.show),
  route('post', '/portal/login/unlock/:token', unlocks.portal.create),
  route('get', '/portal/tickets', portalTickets.index),
  route('get', '/portal/tickets/new', portalTickets.newTicket),
  route('post', '/portal/tickets', uploads('attachments', 'contact'), portalTickets.create),
  route('get', '/portal/tickets/:number', portalTickets.show),
  route('post', '/portal/tickets/:number/replies', uploads('attachments', 'contact'), portalTicketReplies.create),
  route('get', '/portal/tickets/:number/attachments/:id', portalTicketAttachments.show),
  route('get', '/portal/company-tickets', companyTickets.index),
  route('get', '/portal/forgot-password', portalPasswords.newRequest),
  route('post', '/portal/forgot-password', portalPasswords.createRequest),
  route('get', '/portal/reset/:token', portalPasswords.edit),
  route('post', '/portal/reset/:token', portalPasswords.update),
  route('get', '/portal/account', portalAccount.show),
  route('post', '/portal/account/language', portalAccount.updateLanguage),
  route('get', '/portal/account/password', portalAccount.editPassword),
  route('post', '/portal/account/password', portalAccount.updatePassword),
  route('get', '/portal/kb', portalKb.home),
  route('get', '/portal/kb/search', portalKb.search),
  route('get', '/portal/kb/suggestions', portalKb.suggestions),
  route('get', '/portal/kb/images/:id', portalKb.image),
  route('get', '/portal/kb/categories/:id', portalKb.category),
  route('get', '/portal/kb/:slug', portalKb.show),
  route('post', '/portal/kb/:slug/vote', portalKb.createVote),
];

export function buildRouter(routes: Route[]): Router {
  const router = Router();
  for (const r of routes) router[r.method](r.path, ...r.handlers);
  return router;
}
