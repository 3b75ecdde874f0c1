import { z } from "zod";

import { FILE_KINDS } from "~/features/import/canonical";
import { DATE_FORMATS } from "~/features/import/date-input";

/** The largest upload the web import accepts (the readers' own limit is the same). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

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
