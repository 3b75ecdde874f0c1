import { getDb } from "~/server/db.server";
import { getWarningRules } from "~/features/warnings/index.server";
import { rulesToFormValues } from "~/features/warnings/schema";

/**
 * The warning rules page's form as the browser posts it, filled with the stored rules; `change`
 * edits the fields before they are sent (a new value, a field left out, a forged one).
 */
export async function warningRulesPost(change: (fields: Record<string, string>) => void = () => {}): Promise<Record<string, string>> {
  const stored = await getWarningRules(getDb());
  const values = rulesToFormValues(stored.rules, stored.version);
  const fields: Record<string, string> = { intent: "save-rules", basedOn: values.basedOn };
  for (const [kind, block] of Object.entries(values.rules)) {
    for (const [name, value] of Object.entries(block)) {
      if (name === "enabled") {
        if (value === true) fields[`rules.${kind}.enabled`] = "on";
      } else fields[`rules.${kind}.${name}`] = String(value);
    }
  }
  change(fields);
  return fields;
}
