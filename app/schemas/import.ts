import { z } from "zod";

import { FILE_KINDS } from "~/domain/import/canonical";
import { DATE_FORMATS } from "~/domain/import/date-input";

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
