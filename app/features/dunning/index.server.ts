/** The server-side use cases the routes use of the dunning letters. */
export { dunningLetter, dunningPanel, dunningTemplatesPage, saveDunningTemplate } from "./dunning.server";
