// What other features may use of the forecast's pure rules.
export { averageDaysLate, latenessOf } from "./forecast";
export type { PaymentBehaviour } from "./forecast";
export { dsoReductionNeeded, receivablesAtDso } from "./push";
