// The import's reading thread starts here: a worker thread does not inherit tsx's loader, so it
// registers it before loading the TypeScript module named by the parent (parse-worker.server.ts).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.module);
