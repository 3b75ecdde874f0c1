import { minorToMajorString } from "~/domain/money";
import { useFormatAmount } from "~/components/use-format-amount";

/**
 * An amount for people, with its exact decimal value machine-readable in `<data value>`.
 * `alert` marks money past due (red, and bold so it is not told by colour alone); zero is muted
 * so the amounts that matter stand out in a column.
 */
export function Amount({ minor, alert = false }: { minor: number; alert?: boolean }) {
  const format = useFormatAmount();
  return (
    <data
      value={minorToMajorString(minor)}
      className={alert ? "amount amount--alert" : minor === 0 ? "amount amount--zero" : "amount"}
    >
      {format(minor)}
    </data>
  );
}
