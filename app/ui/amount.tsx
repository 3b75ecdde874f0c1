import { minorToMajorString } from "~/kernel/money";
import { useFormatAmount } from "~/ui/use-format-amount";

/**
 * An amount for people, with its exact decimal value machine-readable in `<data value>`.
 * `alert` marks money past due (red, and bold so it is not told by colour alone); zero is muted
 * so the amounts that matter stand out in a column. `unitInHeader`: the table's header states the
 * 万元 unit, so the cell shows the number alone.
 */
export function Amount({ minor, alert = false, unitInHeader = false }: { minor: number; alert?: boolean; unitInHeader?: boolean }) {
  const format = useFormatAmount({ unitInHeader });
  return (
    <data
      value={minorToMajorString(minor)}
      className={alert ? "amount amount--alert" : minor === 0 ? "amount amount--zero" : "amount"}
    >
      {format(minor)}
    </data>
  );
}
