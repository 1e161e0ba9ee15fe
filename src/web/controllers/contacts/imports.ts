// Contacts > Import: upload a CSV file, map its columns, preview (a dry run), import
// (the import-contacts job), watch the progress (the page polls its own fragment and can
// be left and come back to), cancel, and download the report or the template.
import { readFile } from 'node:fs/promises';
import { cancelImport, chooseMapping, importById, outcomesOf, previewImport, recentImports, startImport, uploadImport, type ContactImport } from '../../../domain/contact/import.js';
import { IMPORT_FIELDS } from '../../../domain/contact/import-mapping.js';
import { reportCsv } from '../../../domain/contact/import-report.js';
import { templateCsv } from '../../../domain/contact/export-csv.js';
import { contentDisposition } from '../../../domain/ticket/attachments.js';
import { IMPORT_CONTACTS } from '../../../jobs/import-contacts.js';
import { ENTRA_SYNC } from '../../../jobs/entra-sync.js';
import { EntraConnection } from '../../../domain/integration/entra-connection.js';
import type { CustomerRef } from '../../../domain/contact/import-plan.js';
import { queueJob } from '../../../jobs/queue.js';
import { ValidationError } from '../../../lib/validation.js';
import { idParam, technician, type TechnicianCtx } from '../../action.js';
import type { Response } from 'express';
import { isFragmentRequest } from '../../reply.js';
import { say } from '../../../i18n/translate.js';

/** The failing rows the page lists once an import ends (the report has them all). */
const FAILURES_SHOWN = 100;

/** A CSV download (never rendered by the browser). */
export function sendCsv(res: Response, fileName: string, body: string): void {
  res.set({
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': contentDisposition(fileName),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
  });
  res.send(body);
}

async function uploadPage(ctx: TechnicianCtx, errors: Record<string, string> = {}, status = 200) {
  await ctx.reply.render('contacts/imports/new', { title: ctx.t('imports.new.title'), errors, imports: await recentImports(ctx.em) }, status);
}

export const newImport = technician((ctx) => uploadPage(ctx));

export const template = technician(async ({ res, t }) => {
  sendCsv(res, t('imports.template.fileName'), templateCsv(t));
});

export const create = technician(async (ctx) => {
  const { req, tenant, technician: me, reply } = ctx;
  await ctx.form(async (em) => {
    if (req.uploadError) throw new ValidationError({ file: req.uploadError });
    const file = ((req.files ?? []) as Express.Multer.File[]).find((f) => f.size > 0 || f.originalname !== '');
    const upload = await uploadImport(em, tenant, me, file && { name: file.originalname, data: await readFile(file.path) });
    reply.redirect(`/contacts/imports/${upload.id}`);
  }, (errors) => uploadPage(ctx, errors, 422));
});

/** The unit of work's two ways in, as the import's verbs read through them. */
function workOf(ctx: TechnicianCtx) {
  return { sql: ctx.sql, em: ctx.em, tenantId: ctx.sql.tenantId };
}

/** The values the mapping form shows: the stored mapping and options. */
function storedValues(upload: ContactImport): Record<string, unknown> {
  return { ...Object.fromEntries(IMPORT_FIELDS.map((f) => [`map_${f}`, upload.mapping[f] ?? ''])), createCustomers: upload.createCustomers, existing: upload.existing };
}

/**
 * The page of an import: the mapping step (with the preview once asked), or its progress
 * and report — the one partial, which the page polls while the import runs.
 */
async function page(ctx: TechnicianCtx, upload: ContactImport, locals: Record<string, unknown> = {}, status = 200) {
  const title = ctx.t('imports.show.title', { name: upload.fileName });
  if (upload.status === 'mapping') {
    // The directory is read: the polling progress gives way to the options and the preview.
    if (isFragmentRequest(ctx.req)) {
      ctx.reply.redirect(`/contacts/imports/${upload.id}`);
      return;
    }
    const connection = await connectionOf(ctx, upload);
    await ctx.reply.render('contacts/imports/show', { title, upload, connection, fields: IMPORT_FIELDS, errors: {}, preview: undefined, values: storedValues(upload), ...locals }, status);
    return;
  }
  const failures = (await outcomesOf(workOf(ctx), upload, 0, FAILURES_SHOWN, 'failed')).map((f) => ({ ...f, reason: f.reason ? say(ctx.t, f.reason) : '' }));
  await ctx.reply.render(isFragmentRequest(ctx.req) ? 'contacts/imports/_progress' : 'contacts/imports/progress', { title, upload, failures, errors: {}, ...locals }, status);
}

/** The connection an Entra import reads (its customer is where every user goes), or none for a file. */
async function connectionOf(ctx: TechnicianCtx, upload: ContactImport): Promise<EntraConnection | null> {
  if (upload.source !== 'azure_ad' || !upload.connectionId) return null;
  return ctx.em.findOne(EntraConnection, { id: upload.connectionId }, { populate: ['customer'] });
}

export const show = technician(async (ctx) => {
  await page(ctx, await importById(ctx.em, idParam(ctx.req)));
});

/** Preview: the mapping and options are kept on the import, and what the import would do is shown; no contact is written. */
export const preview = technician(async (ctx) => {
  const upload = await importById(ctx.em, idParam(ctx.req), { forChange: true });
  const ok = await ctx.form(async () => chooseMapping(upload, ctx.body), (errors) => page(ctx, upload, { errors, values: ctx.body }, 422));
  if (!ok) return;
  const connection = await connectionOf(ctx, upload);
  const customer: CustomerRef | undefined = connection ? { id: connection.customer.id, name: connection.customer.name } : undefined;
  if (upload.source === 'azure_ad' && !customer) {
    await page(ctx, upload, { errors: { import: ctx.t('imports.errors.connectionGone') } }, 422);
    return;
  }
  const preview = await previewImport(workOf(ctx), ctx.tenant, upload, customer);
  // The reasons in the reader's words.
  const sample = preview.sample.map((d) => (d.kind === 'skip' ? { ...d, reasonText: say(ctx.t, d.reason) } : d));
  const failures = preview.failures.map((f) => ({ ...f, reason: say(ctx.t, f.reason) }));
  await page(ctx, upload, { preview: { ...preview, sample, failures } });
});

/** Import: queued for the job (which ignores an import the transaction did not commit). */
export const start = technician(async (ctx) => {
  const upload = await importById(ctx.em, idParam(ctx.req), { forChange: true });
  await ctx.form(async () => {
    startImport(upload);
    // A directory's import ends by moving its connection's delta link on: the entra-sync job runs it.
    await queueJob(upload.source === 'azure_ad' ? ENTRA_SYNC : IMPORT_CONTACTS, { tenantId: ctx.sql.tenantId, importId: upload.id });
    ctx.reply.redirect(`/contacts/imports/${upload.id}`);
  }, (errors) => page(ctx, upload, { errors }, 422));
});

export const cancel = technician(async (ctx) => {
  const upload = await importById(ctx.em, idParam(ctx.req), { forChange: true });
  await ctx.form(async () => {
    cancelImport(upload);
    ctx.reply.flash(ctx.t('imports.flash.cancelling'));
    ctx.reply.redirect(`/contacts/imports/${upload.id}`);
  }, (errors) => page(ctx, upload, { errors }, 422));
});

export const report = technician(async (ctx) => {
  const upload = await importById(ctx.em, idParam(ctx.req));
  sendCsv(ctx.res, ctx.t('imports.report.fileName', { id: upload.id }), await reportCsv(workOf(ctx), upload, ctx.t));
});
