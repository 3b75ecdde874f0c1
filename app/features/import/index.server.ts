/** The server-side use cases and reads the import's routes (and other features) may use of this one. */
export {
  cancelStagedRun,
  chooseStagedSheet,
  dropStagedFile,
  expireStagedImports,
  listRecentImports,
  loadImportRun,
  replaceStagedFile,
  saveStagedMapping,
  stageUpload,
  startStagedRun,
} from "./web-import.server";
export type { ChangeResult, FilePreview } from "./web-import.server";
export { importUploadOptions } from "./uploads.server";
