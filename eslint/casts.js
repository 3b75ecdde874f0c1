// Casts say why. A type assertion (`x as T`, `<T>x`) or a non-null assertion (`x!`) tells the
// compiler to trust the author; in app/ and db/ each one carries a comment saying why it cannot
// be wrong, or it is replaced by a check the compiler can follow (narrowing, a type guard, a zod
// parse, `defined()`). Allowed without a comment: `as const` (it asserts nothing, it only keeps
// literal types) and `satisfies` (a check, not a cast: the value must already have the type).
//
// The comment may be on any line of the cast, on the first line of the statement holding it,
// or end on the line just above either of them (so one comment above a statement covers the
// casts in it).

/** The statement (or class member, or top-level declaration) a node belongs to. */
function enclosingStatement(node) {
  let current = node;
  while (current.parent) {
    if (/(Statement|Declaration)$/.test(current.type) || current.type === "PropertyDefinition" || current.type === "MethodDefinition") return current;
    current = current.parent;
  }
  return current;
}

function isConstAssertion(node) {
  const type = node.typeAnnotation;
  return type?.type === "TSTypeReference" && type.typeName.type === "Identifier" && type.typeName.name === "const";
}

/** @type {import("eslint").Rule.RuleModule} */
const explained = {
  meta: {
    type: "suggestion",
    docs: { description: "Require a comment saying why on every type or non-null assertion" },
    messages: {
      unexplained:
        "A cast ({{kind}}) needs a comment saying why it is safe, on its line or just above; better, a check the compiler follows (README, Layout).",
    },
    schema: [],
  },
  create(context) {
    const sourceCode = context.sourceCode;
    /** line -> true when a comment is on it; and the lines on which a comment ends */
    const commentOn = new Set();
    const commentEndsOn = new Set();
    for (const comment of sourceCode.getAllComments()) {
      for (let line = comment.loc.start.line; line <= comment.loc.end.line; line += 1) commentOn.add(line);
      commentEndsOn.add(comment.loc.end.line);
    }

    function check(node, kind) {
      const statementLine = enclosingStatement(node).loc.start.line;
      const { start, end } = node.loc;
      for (let line = start.line; line <= end.line; line += 1) if (commentOn.has(line)) return;
      if (commentOn.has(statementLine)) return;
      if (commentEndsOn.has(start.line - 1) || commentEndsOn.has(statementLine - 1)) return;
      context.report({ node, messageId: "unexplained", data: { kind } });
    }

    return {
      TSAsExpression(node) {
        if (!isConstAssertion(node)) check(node, "as");
      },
      TSTypeAssertion(node) {
        if (!isConstAssertion(node)) check(node, "<T>");
      },
      TSNonNullExpression(node) {
        check(node, "!");
      },
    };
  },
};

export default { rules: { explained } };
