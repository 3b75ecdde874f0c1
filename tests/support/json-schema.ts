/**
 * A small checker of the JSON Schema subset the OpenAPI document uses (type and type lists,
 * properties, required, additionalProperties: false, items, pattern, minimum/maximum, $ref into
 * components): the problems of a value, one per line, empty when it conforms.
 */
type Schema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

export function schemaProblems(document: Schema, schema: Schema, value: unknown, at = "$"): string[] {
  if (typeof schema.$ref === "string") {
    const target = schema.$ref.replace(/^#\//, "").split("/").reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], document);
    if (!target) return [`${at}: unresolved ${schema.$ref}`];
    return schemaProblems(document, target as Schema, value, at);
  }
  const problems: string[] = [];
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const ok = allowed.includes(actual) || (actual === "integer" && allowed.includes("number"));
    if (!ok) return [`${at}: ${actual} is not ${allowed.join(" or ")}`];
  }
  if (typeof value === "string" && typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value)) problems.push(`${at}: "${value}" does not match ${schema.pattern}`);
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) problems.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) problems.push(`${at}: above ${schema.maximum}`);
  }
  if (actual === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) problems.push(`${at}.${key}: missing`);
    for (const [key, item] of Object.entries(object)) {
      const property = properties[key];
      if (property) problems.push(...schemaProblems(document, property, item, `${at}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${at}.${key}: not in the schema`);
    }
  }
  if (actual === "array" && schema.items) (value as unknown[]).forEach((item, i) => problems.push(...schemaProblems(document, schema.items as Schema, item, `${at}[${i}]`)));
  return problems;
}
