import { expect } from "vitest";

import { getDb } from "~/server/db.server";
import { loader as boardLoader } from "~/routes/_app.plans.$planId._index";
import { call, get, payloadOf, statusOf } from "./app";

// Kept apart from plans.ts, which the browser tests import too: these read the integration tests' database.

/** A plan item's stored row. */
export function itemRow(id: number) {
  return getDb().selectFrom("plan_items").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

export type BoardData = Awaited<ReturnType<typeof boardLoader>>;

/** The plan board's data as this user's loader answers it (200 expected), with an optional query string. */
export async function loadBoard(planId: number, cookie: string, query = ""): Promise<BoardData> {
  const result = await call(boardLoader, get(`/plans/${planId}${query}`, cookie), { planId: String(planId) });
  expect(statusOf(result)).toBe(200);
  return payloadOf<BoardData>(result);
}
