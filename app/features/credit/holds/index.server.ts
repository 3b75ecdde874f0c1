/** The server-side use cases and reads the routes and other features use of the holds. */
export { HOLDS_PAGE_SIZE, changeHold, holdsExportRows, holdsOverview, loadHoldPanel, suggestedKinds } from "./holds.server";
export type { HoldPanelData, HoldsExportList, HoldsOverview } from "./holds.server";
export { HOLDS_CONTENT_TYPES, holdsExportFileName, holdsExportStream } from "./export.server";
export type { HoldsExportFormat } from "./export.server";
export { readHoldsExportList, readHoldsParams } from "./lists";
export { customersOnHoldAsOf } from "./queries.server";
export type { HoldsParams } from "./lists";
