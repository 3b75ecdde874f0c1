import { Fragment } from "react";

import { type Block, type Line, parseMarkdown } from "~/kernel/markdown";

/*
 * The head's Markdown (kernel/markdown.ts) on screen and on paper. Every piece of text is a React text node, so React
 * escapes it: what the head (or anyone who got text into the report) typed never becomes HTML.
 */

function Spans({ line }: { line: Line }) {
  return (
    <>
      {line.map((span, index) => (span.bold ? <strong key={index}>{span.text}</strong> : <Fragment key={index}>{span.text}</Fragment>))}
    </>
  );
}

function BlockView({ block }: { block: Block }) {
  switch (block.type) {
    case "heading": {
      const Tag = block.level === 1 ? "h3" : block.level === 2 ? "h4" : "h5";
      return (
        <Tag>
          <Spans line={block.line} />
        </Tag>
      );
    }
    case "paragraph":
      return (
        <p>
          {block.lines.map((line, index) => (
            <Fragment key={index}>
              {index > 0 ? <br /> : null}
              <Spans line={line} />
            </Fragment>
          ))}
        </p>
      );
    case "list": {
      const Tag = block.ordered ? "ol" : "ul";
      return (
        <Tag>
          {block.items.map((item, index) => (
            <li key={index}>
              <Spans line={item} />
            </li>
          ))}
        </Tag>
      );
    }
    case "table":
      return (
        <div className="table-wrap">
          <table className="table report-text__table">
            <thead>
              <tr>
                {block.header.map((cell, index) => (
                  <th key={index} scope="col" style={{ textAlign: block.align[index] ?? "left" }}>
                    <Spans line={cell} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, index) => (
                    <td key={index} style={{ textAlign: block.align[index] ?? "left" }}>
                      <Spans line={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

/** Markdown the head wrote (a report section, a published note), rendered. */
export function MarkdownText({ text }: { text: string }) {
  const blocks = parseMarkdown(text);
  return (
    <div className="report-text">
      {blocks.map((block, index) => (
        <BlockView key={index} block={block} />
      ))}
    </div>
  );
}
