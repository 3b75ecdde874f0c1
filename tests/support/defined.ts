/** The value, or a failed test naming what was missing (for array and map reads in tests). */
export function defined<T>(value: T | undefined, what = "value"): T {
  if (value === undefined) throw new Error(`expected ${what} to be there`);
  return value;
}
