/** The server-side use cases the routes use of the dunning letters. */
export { dunningLetter, dunningPanel, emailDunningLetter, dunningTemplatesPage, saveDunningTemplate } from "./dunning.server";
