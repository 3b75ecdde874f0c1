/** The server-side use cases the routes and other features use of the statements of account. */
export { customerStatement } from "./statements.server";
export { customerContact, emailStatement, requireContactEmail, saveContactEmail } from "./mail.server";
