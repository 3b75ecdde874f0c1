/** The report's sections are rendered by the app's one Markdown renderer (ui/markdown-text.tsx). */
export { MarkdownText as ReportText } from "~/ui/markdown-text";
