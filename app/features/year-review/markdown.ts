/** The report's Markdown is the app's one Markdown: kernel/markdown.ts (the status table's published note uses it too). */
export * from "~/kernel/markdown";
