/** What server/, routes and other features may use of users, sessions, API tokens and the sign-in throttle. */
export { type PublicUser, countUsers, findUserById, findUserForLogin, listUsers } from "./queries/users.server";
export { deleteExpiredSessions, deleteSession, deleteSessionsOfUser, touchSession } from "./queries/sessions.server";
export { type ApiTokenSummary, listApiTokens, touchApiToken } from "./queries/api-tokens.server";
export { createSessionRecord, findSessionByToken, hashToken } from "./sessions.server";
export {
  API_TOKEN_PATTERN,
  API_TOKEN_PREFIX,
  apiTokensOf,
  createApiToken,
  createOwnApiToken,
  findApiTokenByValue,
  revokeAllApiTokensOf,
  revokeApiToken,
  revokeOwnApiToken,
} from "./api-tokens.server";
export { clearAccountFailures, recordFailure, releaseIpAttempt, reserveAttempt, secondsToWait, throttleKeys } from "./login-throttle.server";
export {
  type UserEdit,
  changeRole,
  createUser,
  createUserAccount,
  editUserDetails,
  emailTaken,
  normalizeEmail,
  resetPassword,
  setActive,
  updateUser,
  updateUserDetails,
  userToEdit,
} from "./users.server";
export {
  PENDING_SIGN_IN_MINUTES,
  type TwoFactorStatus,
  confirmTwoFactorSetup,
  createPendingSignIn,
  deletePendingSignIn,
  disableTwoFactor,
  findPendingSignIn,
  hasTwoFactor,
  regenerateRecoveryCodes,
  resetTwoFactor,
  runTwoFactorCommand,
  startTwoFactorSetup,
  twoFactorStatus,
  verifySecondFactor,
} from "./two-factor.server";
