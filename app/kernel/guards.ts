/** Type guards: checks the compiler follows, instead of casts. */

/**
 * Whether `value` is one of `options`, narrowing it to their type: the check the compiler can
 * follow where `(OPTIONS as readonly string[]).includes(value)` and a cast would be needed.
 */
export function isOneOf<T extends string | number>(options: readonly T[], value: unknown): value is T {
  return options.some((option) => option === value);
}

/** Whether `value` is an object whose properties can be read by name (not null, not a primitive). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
