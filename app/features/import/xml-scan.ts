/**
 * A small streaming XML scanner for the parts of an XLSX file (workbook, relationships, styles,
 * shared strings, worksheets): elements, attributes, text, CDATA, the five predefined entities
 * and character references. Element names lose their namespace prefix (`x:row` is `row`), as
 * some writers prefix every element. A DOCTYPE is refused: OOXML parts never have one, and
 * refusing it rules out entity expansion attacks.
 */

export interface XmlHandler {
  open(name: string, attributes: XmlAttributes, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

/** Attribute values by their name as written (`r:id`); `attribute()` also finds them by local name. */
export type XmlAttributes = Record<string, string>;

export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XmlSyntaxError";
  }
}

/** An attribute by its name as written or, failing that, by its local name (`id` finds `r:id`). */
export function attribute(attributes: XmlAttributes, name: string): string | undefined {
  const exact = attributes[name];
  if (exact !== undefined) return exact;
  for (const key in attributes) if (key.endsWith(`:${name}`)) return attributes[key];
  return undefined;
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY, (whole, entity: string) => {
    if (entity[0] !== "#") return NAMED[entity] ?? whole;
    const code = entity[1] === "x" ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const ATTRIBUTE = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/** One element, text run, comment or CDATA section is longer than the scanner's limit. */
export class XmlTokenTooLongError extends XmlSyntaxError {
  constructor(readonly limit: number) {
    super(`an XML item is longer than ${limit} characters`);
    this.name = "XmlTokenTooLongError";
  }
}

export class XmlScanner {
  private buffer = "";

  /**
   * `maxTokenChars` bounds what is held while waiting for the end of one item: without it a
   * part that never closes a tag (or one huge text run) would be kept, and rescanned, whole.
   */
  constructor(
    private readonly handler: XmlHandler,
    private readonly maxTokenChars = Number.POSITIVE_INFINITY,
  ) {}

  write(chunk: string): void {
    this.buffer += chunk;
    this.scan(false);
    if (this.buffer.length > this.maxTokenChars) throw new XmlTokenTooLongError(this.maxTokenChars);
  }

  end(): void {
    this.scan(true);
    if (this.buffer.trim() !== "") throw new XmlSyntaxError("the XML ends in the middle of an element");
  }

  private scan(final: boolean): void {
    const buffer = this.buffer;
    let position = 0;
    for (;;) {
      const open = buffer.indexOf("<", position);
      if (open === -1) {
        // Text runs on into the next chunk (an entity may be cut in two): keep it for then.
        if (final && position < buffer.length) {
          this.handler.text(decodeEntities(buffer.slice(position)));
          position = buffer.length;
        }
        break;
      }
      if (open > position) this.handler.text(decodeEntities(buffer.slice(position, open)));
      position = open;
      const end = this.markup(buffer, open);
      if (end === -1) break;
      position = end;
    }
    this.buffer = buffer.slice(position);
  }

  /** Handles the markup starting at `start`; returns where it ends, or -1 when it is not all there yet. */
  private markup(buffer: string, start: number): number {
    if (buffer.startsWith("<!--", start)) {
      const end = buffer.indexOf("-->", start + 4);
      return end === -1 ? -1 : end + 3;
    }
    if (buffer.startsWith("<![CDATA[", start)) {
      const end = buffer.indexOf("]]>", start + 9);
      if (end === -1) return -1;
      this.handler.text(buffer.slice(start + 9, end));
      return end + 3;
    }
    if (buffer.startsWith("<?", start)) {
      const end = buffer.indexOf("?>", start + 2);
      return end === -1 ? -1 : end + 2;
    }
    if (buffer.startsWith("<!", start)) {
      if (buffer.length - start < 9) return -1;
      throw new XmlSyntaxError("the part has a DOCTYPE, which spreadsheet files never have");
    }
    const end = tagEnd(buffer, start + 1);
    if (end === -1) return -1;
    const inner = buffer.slice(start + 1, end);
    if (inner[0] === "/") {
      this.handler.close(localName(inner.slice(1).trim()));
      return end + 1;
    }
    const selfClosing = inner.endsWith("/");
    const body = selfClosing ? inner.slice(0, -1) : inner;
    const space = body.search(/\s/);
    const name = localName(space === -1 ? body : body.slice(0, space));
    const attributes: XmlAttributes = {};
    if (space !== -1) {
      ATTRIBUTE.lastIndex = space;
      for (let match = ATTRIBUTE.exec(body); match; match = ATTRIBUTE.exec(body)) {
        // group 1, the attribute's name, takes part in every match
        attributes[match[1] as string] = decodeEntities(match[2] ?? match[3] ?? "");
      }
    }
    this.handler.open(name, attributes, selfClosing);
    if (selfClosing) this.handler.close(name);
    return end + 1;
  }
}

/** The `>` that ends a tag, skipping any inside quoted attribute values; -1 if not in the buffer yet. */
function tagEnd(buffer: string, from: number): number {
  const end = buffer.indexOf(">", from);
  if (end === -1) return -1;
  const quote = buffer.slice(from, end).search(/["']/);
  if (quote === -1) return end;
  let quoted: string | null = null;
  for (let i = from; i < buffer.length; i += 1) {
    const char = buffer[i];
    if (quoted) {
      if (char === quoted) quoted = null;
    } else if (char === '"' || char === "'") {
      quoted = char;
    } else if (char === ">") {
      return i;
    }
  }
  return -1;
}
