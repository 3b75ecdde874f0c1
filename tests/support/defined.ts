/** The value, or a failed test saying what was missing (for reads the type checker cannot prove present). */
export function defined<T>(value: T | undefined, what = "value"): T {
  if (value === undefined) throw new Error(`expected ${what} to be there`);
  return value;
}
