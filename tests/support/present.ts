/** The value a test set up or just found, or a failure naming what is missing (for indexed reads). */
export function present<T>(value: T | null | undefined, what = "value"): T {
  if (value === null || value === undefined) throw new Error(`Expected ${what} to be present`);
  return value;
}

/** `values` by name, in order (ids made in a set-up), each one required to be there. */
export function presentNamed<K extends string, T>(names: readonly K[], values: readonly T[]): Record<K, T> {
  return Object.fromEntries(names.map((name, index) => [name, present(values[index], name)])) as Record<K, T>;
}
