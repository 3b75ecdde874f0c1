import { closeDb, getDb } from "../../app/server/db.server";
import { expireStagedImports } from "../../app/features/import/web-import.server";
import { migrateToLatest } from "../migrate";

/**
 * `npm run import:expire`: previews of web imports nobody started within a day are marked
 * expired and their uploaded files deleted (the server also does this every hour).
 */
await migrateToLatest(getDb());
const { expired, foldersRemoved } = await expireStagedImports(getDb(), new Date());
console.log(`Expired ${expired} import ${expired === 1 ? "preview" : "previews"}; removed ${foldersRemoved} stray upload ${foldersRemoved === 1 ? "folder" : "folders"}.`);
await closeDb();
