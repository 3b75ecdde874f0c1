/** What other features, server/ and routes may use of the installation settings and built-in texts. */
export { type CompanyLetterhead, DEFAULT_SETTINGS, type InstallationSettings, getSettings, setSetting } from "./queries.server";
export {
  type BuiltInTextEntry,
  holdsIn,
  inViewerLanguage,
  planCommentsIn,
  planItemsIn,
  rememberWordings,
  reviewCommentsIn,
  textIn,
  wordingsOf,
} from "./built-in-text.server";
export { installationSettingsPage, saveCompanyLetterhead, savePreferences, saveInstallationSettings, saveTwoFactorRoles } from "./settings.server";
