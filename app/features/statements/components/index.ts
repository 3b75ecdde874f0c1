/** The statements' components other modules may use. */
export { StatementForm } from "./statement-form";
export { ContactEmailForm } from "./contact-email-form";
