import { describe, expect, it } from "vitest";

import { AppError } from "~/kernel/app-error";
import { attempt, idParam, orErrorPage, refusal } from "~/server/responses.server";

async function bodyOf(result: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  // Remix's `data()` wraps the body and its init; a thrown Response is read as text.
  if (result instanceof Response) return { status: result.status, body: { text: await result.text() } };
  const wrapped = result as { data: Record<string, unknown>; init: { status: number } };
  return { status: wrapped.init.status, body: wrapped.data };
}

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(entries)) data.append(key, value);
  return data;
}

describe("one refusal shape", () => {
  it("a conflict carries the stored version, the posted values and its status", async () => {
    const error = AppError.conflict("errors.conflict", { title: "Theirs", version: 3 }, 17);
    const { status, body } = await bodyOf(refusal(error, form({ intent: "save", title: "Mine" }), "save"));
    expect(status).toBe(409);
    expect(body).toEqual({
      ok: false,
      code: "conflict",
      intent: "save",
      message: "errors.conflict",
      params: {},
      fieldErrors: {},
      submitted: { intent: "save", title: "Mine" },
      current: { title: "Theirs", version: 3 },
      subjectId: 17,
    });
  });

  it("never sends a password, secret or one-time code back to the page", async () => {
    const posted = form({ intent: "reset", email: "a@b.test", password: "hunter2 hunter2", newPassword: "x", code: "123456", recoveryCode: "r", customerCode: "C001" });
    const { body } = await bodyOf(refusal(AppError.field("password", "users.weakPassword"), posted, "reset"));
    expect(body.submitted).toEqual({ intent: "reset", email: "a@b.test", customerCode: "C001" });
  });

  it("field errors come back at their fields with 400", async () => {
    const { status, body } = await bodyOf(refusal(AppError.field("dueDate", "plans.error.dueOutside")));
    expect(status).toBe(400);
    expect(body.fieldErrors).toEqual({ dueDate: ["plans.error.dueOutside"] });
    expect(body.submitted).toEqual({});
  });

  it("attempt: 400 and 409 go back to the form, 403 and 404 become error pages, bugs are rethrown", async () => {
    await expect(attempt(async () => "done")).resolves.toBe("done");
    const invalid = await attempt(async () => {
      throw AppError.invalid({ title: ["required"] });
    });
    expect((await bodyOf(invalid)).status).toBe(400);
    for (const error of [AppError.forbidden(), AppError.notFound()]) {
      const thrown = await attempt(async () => {
        throw error;
      }).catch((caught: unknown) => caught);
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(error.status);
    }
    const bug = new TypeError("a bug");
    await expect(attempt(async () => Promise.reject(bug))).rejects.toBe(bug);
  });

  it("orErrorPage turns a loader's refusal into the page and passes values through", async () => {
    await expect(orErrorPage(async () => 42)).resolves.toBe(42);
    const thrown = await orErrorPage(async () => {
      throw AppError.notFound("plans.error.notFound");
    }).catch((caught: unknown) => caught);
    expect((thrown as Response).status).toBe(404);
    expect(await (thrown as Response).text()).toBe("plans.error.notFound");
  });
});

describe("route ids", () => {
  it.each([["1", 1], ["42", 42], ["9007199254740991", 9007199254740991]])("%s is id %d", (raw, id) => {
    expect(idParam({ planId: raw }, "planId")).toBe(id);
  });

  it.each([[undefined], [""], ["0"], ["01"], ["-1"], ["1.5"], ["1e3"], ["12abc"], ["99999999999999999"], [" 1"]])(
    "%s is a 404",
    (raw) => {
      let thrown: unknown;
      try {
        idParam({ planId: raw }, "planId");
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(404);
    },
  );
});
