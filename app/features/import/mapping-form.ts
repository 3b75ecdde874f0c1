import type { FileKind } from "~/features/import/canonical";
import type { ColumnMapping } from "~/features/import/mapping";

export interface MappingForm {
  index: number;
  name: string;
  target: FileKind;
  dateFormat: ColumnMapping["dateFormat"];
  paidDateColumn?: string;
  paidAmountColumn?: string;
  customerCodeColumn?: string;
  customerNameColumn?: string;
  customerRegionColumn?: string;
  /** canonical field → source column, from the form's `col_<field>` entries */
  columns: Record<string, string>;
}

/** The editor's posted values as a mapping form: `col_<field>` entries name each field's source column. */
export function mappingFormOf(values: Omit<MappingForm, "columns"> & Record<string, unknown>): MappingForm {
  const text = (key: string) => {
    const value = values[key];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const columns = Object.fromEntries(
    Object.entries(values).flatMap(([key, value]) => (key.startsWith("col_") && typeof value === "string" && value !== "" ? [[key.slice(4), value]] : [])),
  );
  return {
    index: values.index,
    name: values.name,
    target: values.target,
    dateFormat: values.dateFormat,
    columns,
    paidDateColumn: text("paidDateColumn"),
    paidAmountColumn: text("paidAmountColumn"),
    customerCodeColumn: text("customerCodeColumn"),
    customerNameColumn: text("customerNameColumn"),
    customerRegionColumn: text("customerRegionColumn"),
  };
}
