// Contacts > Export: every contact as CSV, with the import's headers (a round trip maps itself).
import { exportContacts } from '../../../domain/contact/export-csv.js';
import { technician } from '../../action.js';
import { sendCsv } from './imports.js';

export const show = technician(async ({ sql, res, t }) => {
  sendCsv(res, t('imports.export.fileName'), await exportContacts(sql, t));
});
