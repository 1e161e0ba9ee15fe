// Every migration, in order. One change per file, named as a sentence.
import { CreateTenantsTechniciansAndTheOutbox } from './0001-create-tenants-technicians-and-the-outbox.js';
import { CreateCustomersContactsAndTickets } from './0002-create-customers-contacts-and-tickets.js';
import { CreateEmailTemplatesQuickRepliesAndSettings } from './0003-create-email-templates-quick-replies-and-settings.js';
import { TieEveryReferenceToItsTenant } from './0004-tie-every-reference-to-its-tenant.js';
import { KeepTicketListIndexesInListOrder } from './0005-keep-ticket-list-indexes-in-list-order.js';
import { AddTwoFactorSignInForTechnicians } from './0006-add-two-factor-sign-in-for-technicians.js';
import { LetAWorkspaceRequireTwoFactorSignIn } from './0007-let-a-workspace-require-two-factor-sign-in.js';
import { ReceiveMailFromSupportMailboxes } from './0008-receive-mail-from-support-mailboxes.js';
import { LetCopiedNamesAndSubjectsHoldAnyAllowedValue } from './0009-let-copied-names-and-subjects-hold-any-allowed-value.js';
import { KeepTheHtmlOfEmailedMessages } from './0010-keep-the-html-of-emailed-messages.js';
import { KeepAScheduleOfQueuedOutboxEmails } from './0011-keep-a-schedule-of-queued-outbox-emails.js';
import { LetWorkspacesTechniciansAndContactsSpeakItalianOrEnglish } from './0012-let-workspaces-technicians-and-contacts-speak-italian-or-english.js';
import { LetCustomersOwnEmailDomains } from './0013-let-customers-own-email-domains.js';
import { NoteOnceWhenAWorkspaceTrialEnds } from './0014-note-once-when-a-workspace-trial-ends.js';
import { AutomateTicketsWithRules } from './0015-automate-tickets-with-rules.js';
import { LetTechniciansKeepTheirOwnAccount } from './0016-let-technicians-keep-their-own-account.js';
import { FindTicketsByTheirWordsAndTheirPeoplesNames } from './0017-find-tickets-by-their-words-and-their-peoples-names.js';
import { LetAWorkspaceListMorePublicMailboxDomains } from './0018-let-a-workspace-list-more-public-mailbox-domains.js';
import { CompressStoredMailAndFilesWithLz4 } from './0019-compress-stored-mail-and-files-with-lz4.js';
import { GiveEveryWorkspaceItsDefaultRulesAndAScheduleForRuleWork } from './0020-give-every-workspace-its-default-rules-and-a-schedule-for-rule-work.js';
import { KeepAKnowledgeBaseOfArticlesForThePortal } from './0021-keep-a-knowledge-base-of-articles-for-the-portal.js';
import { ImportContactsFromCsvFiles } from './0022-import-contacts-from-csv-files.js';

export const migrationsList = [
  { name: '0001-create-tenants-technicians-and-the-outbox', class: CreateTenantsTechniciansAndTheOutbox },
  { name: '0002-create-customers-contacts-and-tickets', class: CreateCustomersContactsAndTickets },
  { name: '0003-create-email-templates-quick-replies-and-settings', class: CreateEmailTemplatesQuickRepliesAndSettings },
  { name: '0004-tie-every-reference-to-its-tenant', class: TieEveryReferenceToItsTenant },
  { name: '0005-keep-ticket-list-indexes-in-list-order', class: KeepTicketListIndexesInListOrder },
  { name: '0006-add-two-factor-sign-in-for-technicians', class: AddTwoFactorSignInForTechnicians },
  { name: '0007-let-a-workspace-require-two-factor-sign-in', class: LetAWorkspaceRequireTwoFactorSignIn },
  { name: '0008-receive-mail-from-support-mailboxes', class: ReceiveMailFromSupportMailboxes },
  { name: '0009-let-copied-names-and-subjects-hold-any-allowed-value', class: LetCopiedNamesAndSubjectsHoldAnyAllowedValue },
  { name: '0010-keep-the-html-of-emailed-messages', class: KeepTheHtmlOfEmailedMessages },
  { name: '0011-keep-a-schedule-of-queued-outbox-emails', class: KeepAScheduleOfQueuedOutboxEmails },
  { name: '0012-let-workspaces-technicians-and-contacts-speak-italian-or-english', class: LetWorkspacesTechniciansAndContactsSpeakItalianOrEnglish },
  { name: '0013-let-customers-own-email-domains', class: LetCustomersOwnEmailDomains },
  { name: '0014-note-once-when-a-workspace-trial-ends', class: NoteOnceWhenAWorkspaceTrialEnds },
  { name: '0015-automate-tickets-with-rules', class: AutomateTicketsWithRules },
  { name: '0016-let-technicians-keep-their-own-account', class: LetTechniciansKeepTheirOwnAccount },
  { name: '0017-find-tickets-by-their-words-and-their-peoples-names', class: FindTicketsByTheirWordsAndTheirPeoplesNames },
  { name: '0018-let-a-workspace-list-more-public-mailbox-domains', class: LetAWorkspaceListMorePublicMailboxDomains },
  { name: '0019-compress-stored-mail-and-files-with-lz4', class: CompressStoredMailAndFilesWithLz4 },
  { name: '0020-give-every-workspace-its-default-rules-and-a-schedule-for-rule-work', class: GiveEveryWorkspaceItsDefaultRulesAndAScheduleForRuleWork },
  { name: '0021-keep-a-knowledge-base-of-articles-for-the-portal', class: KeepAKnowledgeBaseOfArticlesForThePortal },
  { name: '0022-import-contacts-from-csv-files', class: ImportContactsFromCsvFiles },
];
