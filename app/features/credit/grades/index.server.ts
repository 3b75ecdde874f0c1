/** The server-side use cases and reads the routes and other features use of the grades. */
export { getCreditPolicy } from "./queries.server";
export { saveCreditPolicyForm } from "./grades.server";
