/**
 * The stored installation settings alone, for processes that only read them (the ledger
 * import's): ../index.server.ts also brings the settings pages, whose graph reaches the users
 * feature (two-factor QR codes, password strength).
 */
export { DEFAULT_SETTINGS, type InstallationSettings, getSettings } from "../queries.server";
