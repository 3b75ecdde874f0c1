/** Reading rows a test expects to be there: a missing one fails the test with a message, not a TypeError. */

/** The first of `rows`, failing the test when there is none (instead of reading a property of undefined). */
export function firstOf<T>(rows: readonly T[], what = "row"): T {
  const [first] = rows;
  if (first === undefined) throw new Error(`expected at least one ${what}, found none`);
  return first;
}

/** `rows[index]`, failing the test when there is no such row. */
export function nth<T>(rows: readonly T[], index: number, what = "row"): T {
  const row = rows[index];
  if (row === undefined) throw new Error(`expected a ${what} at index ${index}, found ${rows.length}`);
  return row;
}
