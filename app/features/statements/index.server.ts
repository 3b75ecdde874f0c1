/** The server-side use cases the routes use of the statements of account. */
export { customerStatement } from "./statements.server";
