import { reviewOpeningsSettled } from "~/features/credit/review/index.server";
import { action as indexAction } from "~/routes/_app.credit.review._index";
import { loader as openingLoader } from "~/routes/_app.credit.review.openings.$openingId";
import { call, get, post, statusOf } from "./app";

/**
 * The head opens this quarter's credit review through the real form post, waits for the
 * background opening to end and follows its progress page to the review: the review's id.
 */
export async function openReviewAndWait(cookie: string): Promise<number> {
  const queued = await call(indexAction, post("/credit/review", { intent: "open" }, cookie));
  if (statusOf(queued) !== 302) throw new Error(`opening the review was refused: ${statusOf(queued)} ${JSON.stringify(queued)}`);
  const progress = (queued as Response).headers.get("Location") ?? "";
  const openingId = /^\/credit\/review\/openings\/(\d+)$/.exec(progress)?.[1];
  if (!openingId) throw new Error(`the opening answered ${progress}`);
  await reviewOpeningsSettled();
  const page = await call(openingLoader, get(progress, cookie), { openingId });
  const location = page instanceof Response ? page.headers.get("Location") : null;
  const reviewId = /^\/credit\/review\/(\d+)$/.exec(location ?? "")?.[1];
  if (!reviewId) throw new Error(`the opening did not end with a review: ${JSON.stringify(page)}`);
  return Number(reviewId);
}
