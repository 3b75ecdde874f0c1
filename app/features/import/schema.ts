import { z } from "zod";

import { FILE_KINDS } from "~/features/import/canonical";
import { DATE_FORMATS } from "~/features/import/date-input";

/**
 * What one web upload (a post of the import page, or a file replaced on the preview) may carry,
 * in one place (the README's import section says the same): each file up to 200 MB (the readers'
 * own limit is the same), up to 8 files, 400 MB in all. Passing any of them stops the upload
 * there (413) and deletes what was written.
 */
export const UPLOAD_LIMITS = {
  fileBytes: 200 * 1024 * 1024,
  files: 8,
  totalBytes: 400 * 1024 * 1024,
} as const;

/** The limits as the page's help and refusals show them (placeholders of the i18n messages). */
export const UPLOAD_LIMIT_PARAMS = {
  mb: UPLOAD_LIMITS.fileBytes / 1024 / 1024,
  files: UPLOAD_LIMITS.files,
  totalMb: UPLOAD_LIMITS.totalBytes / 1024 / 1024,
} as const;

/** One layout choice per staged file, in file order: `kind:invoices` or `mapping:NAME`. */
export const startImportSchema = z.object({ intent: z.literal("start") });

const optionalColumn = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

/** The column-mapping editor; `col_<field>` entries name the source column of each canonical field. */
export const saveMappingSchema = z
  .object({
    intent: z.literal("save-mapping"),
    index: z.coerce.number().int().min(0),
    name: z.string().trim().min(1, "validation.required").max(100, "validation.nameTooLong"),
    target: z.enum(FILE_KINDS),
    dateFormat: z.enum(DATE_FORMATS),
    paidDateColumn: optionalColumn,
    paidAmountColumn: optionalColumn,
    customerCodeColumn: optionalColumn,
    customerNameColumn: optionalColumn,
    customerRegionColumn: optionalColumn,
  })
  .catchall(z.string());

/** The preview's per-file actions: take a file out, cancel the whole import, read another sheet. */
export const dropFileSchema = z.object({ intent: z.literal("drop"), index: z.coerce.number().int().min(0).max(999) });
export const cancelImportSchema = z.object({ intent: z.literal("cancel") });
export const chooseSheetSchema = z.object({
  intent: z.literal("choose-sheet"),
  index: z.coerce.number().int().min(0).max(999),
  sheet: z.string().min(1).max(255),
});
/** Replacing a file is a multipart post: these fields beside the uploaded `files`. */
export const replaceFileSchema = z.object({ intent: z.literal("replace"), index: z.coerce.number().int().min(0).max(999) });
