/** The dunning components other modules may use. */
export { DunningForm } from "./dunning-form";
