/**
 * Which layout an uploaded file has, from its header alone, so the user does not have to say:
 * a canonical kind whose required columns are all present (the one matching most columns when
 * several would do), else a mapping whose columns are all present, else unknown.
 */
import { FILE_KINDS, type FileKind, columnSpecs, matchHeader } from "./canonical";
import type { ColumnMapping } from "./mapping";
import { mappedColumns } from "./mapping";
import { normalizeHeader } from "./canonical";

export type DetectedLayout = { kind: FileKind } | { mapping: ColumnMapping } | null;

export function detectLayout(header: readonly string[], mappings: readonly ColumnMapping[]): DetectedLayout {
  let best: { kind: FileKind; matched: number } | null = null;
  for (const kind of FILE_KINDS) {
    const match = matchHeader(kind, header);
    if (match.errors.length > 0) continue;
    const matched = Object.keys(match.indexOf).length;
    // the kind's own key column must be there, or "code,name" would pass as anything
    const key = columnSpecs(kind)[0]?.field;
    if (key === undefined || !(key in match.indexOf)) continue;
    if (!best || matched > best.matched) best = { kind, matched };
  }
  if (best) return { kind: best.kind };
  const present = new Set(header.map(normalizeHeader));
  const mapping = mappings.find((m) => mappedColumns(m).every((column) => present.has(normalizeHeader(column))));
  return mapping ? { mapping } : null;
}
