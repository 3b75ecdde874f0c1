/**
 * Nested form fields from a flat post (`grades.0.graceDays=15`, as react-hook-form names its
 * inputs), read with hard bounds: the input is the user's, so nothing here may take longer than
 * the post is long. An array is built from the indexes actually sent (never from a `length` the
 * user writes), an index is at most `maxIndex`, a name at most `maxDepth` parts deep, and only
 * plain identifiers are keys: `length`, `__proto__`, `constructor` and `prototype` are never
 * written, so neither a prototype nor an array's length can be reached through a field name.
 * Fields that break a rule are dropped, as an unknown field would be; the schema then reports
 * what is missing.
 */
export interface FormFieldLimits {
  maxIndex: number;
  maxDepth: number;
  maxFields: number;
}

export const DEFAULT_FORM_FIELD_LIMITS: FormFieldLimits = { maxIndex: 99, maxDepth: 4, maxFields: 2_000 };

const FORBIDDEN_KEYS = new Set(["length", "__proto__", "constructor", "prototype"]);
const INDEX = /^(0|[1-9]\d{0,5})$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A node while parsing: an object's named children, or an array's children by index. */
type Node = { kind: "object"; children: Map<string, Node | string> } | { kind: "array"; children: Map<number, Node | string> };

function segmentOf(part: string, limits: FormFieldLimits): { kind: "index"; index: number } | { kind: "key"; key: string } | null {
  if (INDEX.test(part)) {
    const index = Number(part);
    return index <= limits.maxIndex ? { kind: "index", index } : null;
  }
  if (IDENTIFIER.test(part) && !FORBIDDEN_KEYS.has(part)) return { kind: "key", key: part };
  return null;
}

function childOf(node: Node, segment: { kind: "index"; index: number } | { kind: "key"; key: string }): Node | string | undefined {
  if (node.kind === "array") return segment.kind === "index" ? node.children.get(segment.index) : undefined;
  return segment.kind === "key" ? node.children.get(segment.key) : undefined;
}

function setChild(node: Node, segment: { kind: "index"; index: number } | { kind: "key"; key: string }, value: Node | string): boolean {
  if (node.kind === "array" && segment.kind === "index") node.children.set(segment.index, value);
  else if (node.kind === "object" && segment.kind === "key") node.children.set(segment.key, value);
  else return false;
  return true;
}

function toPlain(node: Node | string): unknown {
  if (typeof node === "string") return node;
  if (node.kind === "array") {
    // Dense, in index order: holes are dropped, and the size is what was sent.
    return [...node.children.entries()].sort((a, b) => a[0] - b[0]).map(([, child]) => toPlain(child));
  }
  const object: Record<string, unknown> = {};
  for (const [key, child] of node.children) object[key] = toPlain(child);
  return object;
}

/** The nested object a flat post describes, within `limits`. Non-text values (files) are ignored. */
export function parseNestedFields(
  entries: Iterable<[string, unknown]>,
  limits: FormFieldLimits = DEFAULT_FORM_FIELD_LIMITS,
): Record<string, unknown> {
  const root: Node = { kind: "object", children: new Map() };
  let count = 0;
  for (const [name, value] of entries) {
    if (typeof value !== "string") continue;
    count += 1;
    if (count > limits.maxFields) break;
    const parts = name.split(".", limits.maxDepth + 1);
    if (parts.length > limits.maxDepth) continue;
    const segments = parts.map((part) => segmentOf(part, limits));
    if (segments[0]?.kind !== "key" || segments.some((segment) => segment === null)) continue;
    let node: Node = root;
    for (let i = 0; i < segments.length; i += 1) {
      // i < segments.length, and no segment is null (checked above)
      const segment = segments[i]!;
      if (i === segments.length - 1) {
        // A field already holding nested fields keeps them: one name is one kind of thing.
        if (typeof (childOf(node, segment) ?? "") === "string") setChild(node, segment, value);
        break;
      }
      let child = childOf(node, segment);
      if (child === undefined) {
        // not the last segment (that case breaks above), so i + 1 is in range
        child = segments[i + 1]!.kind === "index" ? { kind: "array", children: new Map() } : { kind: "object", children: new Map() };
        setChild(node, segment, child);
      }
      if (typeof child === "string") break;
      node = child;
    }
  }
  // the root is an object node, so its plain form is an object
  return toPlain(root) as Record<string, unknown>;
}
