// Images in articles: stored in the database like ticket attachments, at most 2 MB, and only
// PNG, JPEG, GIF or WebP — known by their first bytes, not by what the upload claims (an SVG
// could carry script). Served with the visibility of their article (reading.ts).
import type { Em } from '../../db/orm.js';
import { NotFoundError, ValidationError } from '../../lib/validation.js';
import { safeFileName, type NewFile } from '../ticket/attachments.js';
import type { Tenant } from '../tenant/tenant.js';
import { audit } from '../audit/audit-event.js';
import type { KbArticle } from './article.js';

export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;

/** The image type its bytes say, or undefined. */
export function imageType(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 6).toString('latin1') === 'GIF87a' || bytes.subarray(0, 6).toString('latin1') === 'GIF89a') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

/** Stores an uploaded image on the article; its id makes the Markdown `![name](/portal/kb/images/<id>)`. */
export async function addImage(em: Em, tenant: Tenant, article: KbArticle, file: NewFile | undefined): Promise<{ id: number; fileName: string }> {
  if (!file) throw new ValidationError({ image: 'kb.errors.imageMissing' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of file.content()) {
    size += chunk.length;
    if (size > IMAGE_MAX_BYTES) throw new ValidationError({ image: { key: 'kb.errors.imageTooLarge', params: { max: IMAGE_MAX_BYTES / 1024 / 1024 } } });
    chunks.push(chunk);
  }
  const data = Buffer.concat(chunks);
  const type = imageType(data);
  if (!type) throw new ValidationError({ image: 'kb.errors.imageType' });
  const fileName = safeFileName(file.name);
  const [row] = await em.execute<Array<{ id: number }>>(
    'insert into kb_images (tenant_id, article_id, file_name, content_type, size, data) values (?, ?, ?, ?, ?, ?) returning id',
    [tenant.id, article.id, fileName, type, data.length, data]);
  audit(em, tenant, 'kb_article.image_added', { type: 'kb_article', id: article.id }, { title: article.title, changes: ['image'], file: fileName });
  await em.flush();
  return { id: row.id, fileName };
}

export interface KbImage { id: number; fileName: string; size: number; article: { id: number; title: string } }

/** The image with this id (in the workspace), with its article, or NotFound. */
export async function imageById(em: Em, tenant: Tenant, id: number): Promise<KbImage> {
  const [row] = await em.execute<Array<{ id: number; file_name: string; size: number; article_id: number; title: string }>>(
    `select i.id, i.file_name, i.size, a.id as article_id, a.title from kb_images i join kb_articles a on a.tenant_id = i.tenant_id and a.id = i.article_id
      where i.tenant_id = ? and i.id = ?`, [tenant.id, id]);
  if (!row) throw new NotFoundError();
  return { id: row.id, fileName: row.file_name, size: row.size, article: { id: row.article_id, title: row.title } };
}

/** The articles of the workspace whose text still shows the image (its own, or any other that pasted its line). */
export async function articlesShowingImage(em: Em, tenant: Tenant, image: { id: number }): Promise<Array<{ id: number; title: string }>> {
  return em.execute<Array<{ id: number; title: string }>>(
    `select id, title from kb_articles where tenant_id = ? and body ~ ? order by lower(title), id`,
    [tenant.id, `/portal/kb/images/${image.id}([^0-9]|$)`]);
}

/**
 * Deletes the image — refused while an article's text still shows it, so no published page is
 * left with a broken picture: the technician takes its line out of those articles first.
 */
export async function deleteImage(em: Em, tenant: Tenant, image: KbImage): Promise<void> {
  const [locked] = await em.execute<Array<{ id: number }>>('select id from kb_images where tenant_id = ? and id = ? for update', [tenant.id, image.id]);
  if (!locked) throw new NotFoundError();
  const showing = await articlesShowingImage(em, tenant, image);
  if (showing.length) throw new ValidationError({ image: { key: 'kb.errors.imageInUse', params: { titles: showing.map((a) => a.title).join(', ') } } });
  await em.execute('delete from kb_images where tenant_id = ? and id = ?', [tenant.id, image.id]);
  audit(em, tenant, 'kb_article.image_deleted', { type: 'kb_article', id: image.article.id }, { title: image.article.title, changes: ['image'], file: image.fileName });
  await em.flush();
}
