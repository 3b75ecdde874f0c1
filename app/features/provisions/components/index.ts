/** The components other features may use of this one. */
export { YearProvisionMovementTable } from "./year-movement";
