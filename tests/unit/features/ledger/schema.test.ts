import { afterEach, describe, expect, it, vi } from "vitest";

import { today } from "~/server/clock.server";
import { readCustomerListParams, readInvoiceListParams, readPageParam } from "~/features/ledger/schema";
import { listHref, sortedListHref } from "~/kernel/list-url";

const url = (search: string) => new URL(`http://quarterdeck.test/list${search}`);

describe("list URLs", () => {
  it("reads a customer list's state, with each sort's own default direction", () => {
    expect(readCustomerListParams(url(""))).toEqual({ sort: "code", dir: "asc", page: 1 });
    expect(readCustomerListParams(url("?sort=balance"))).toMatchObject({ sort: "balance", dir: "desc" });
    expect(readCustomerListParams(url("?sort=overdue&dir=asc&page=3"))).toMatchObject({
      sort: "overdue",
      dir: "asc",
      page: 3,
    });
    expect(readCustomerListParams(url("?q=%20Acme%20&owner=12&region=East&grade=A&status=inactive"))).toMatchObject({
      q: "Acme",
      owner: 12,
      region: "East",
      grade: "A",
      status: "inactive",
    });
    expect(readCustomerListParams(url("?owner=none")).owner).toBe("none");
  });

  it("drops what does not parse", () => {
    expect(readCustomerListParams(url("?q=&owner=0&status=gone&sort=x&dir=up&page=-1"))).toEqual({
      q: undefined,
      owner: undefined,
      region: undefined,
      grade: undefined,
      status: undefined,
      sort: "code",
      dir: "asc",
      page: 1,
    });
    expect(readCustomerListParams(url(`?q=${"x".repeat(101)}`)).q).toBeUndefined();
    expect(
      readInvoiceListParams(url("?issuedFrom=2025-02-29&issuedTo=2024-02-29&dueFrom=soon&status=paid")),
    ).toMatchObject({
      issuedFrom: undefined,
      issuedTo: "2024-02-29",
      dueFrom: undefined,
      status: undefined,
      sort: "issue",
      dir: "desc",
    });
    expect(readPageParam(url("?page=abc"))).toBe(1);
    expect(readPageParam(url("?page=4"))).toBe(4);
  });

  it("builds short links: no empty values, default sort, default direction or page 1", () => {
    expect(listHref("/invoices", { customer: "FX 1&2", status: "", page: undefined })).toBe(
      "/invoices?customer=FX+1%262",
    );
    const defaults = { sort: "code" as const, directions: { code: "asc", balance: "desc" } as const };
    expect(sortedListHref("/customers", { q: "", sort: "code", dir: "asc", page: 1 }, defaults)).toBe("/customers");
    expect(sortedListHref("/customers", { q: "x", sort: "balance", dir: "desc", page: 2 }, defaults)).toBe(
      "/customers?q=x&sort=balance&page=2",
    );
    expect(sortedListHref("/customers", { sort: "balance", dir: "asc" }, defaults)).toBe(
      "/customers?sort=balance&dir=asc",
    );
  });
});

describe("today", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("is the date in the installation's time zone, or QUARTERDECK_TODAY when set", () => {
    vi.stubEnv("QUARTERDECK_TODAY", "");
    vi.stubEnv("QUARTERDECK_TIME_ZONE", "Asia/Shanghai");
    // 07:30 in Beijing is still the previous day in UTC: the business date is Beijing's.
    expect(today(new Date("2026-11-23T23:30:00Z"))).toBe("2026-11-24");
    expect(today(new Date("2026-11-23T15:59:59Z"))).toBe("2026-11-23");
    expect(today(new Date("2026-11-23T16:00:00Z"))).toBe("2026-11-24");
    // The year turns at midnight local time too.
    expect(today(new Date("2026-12-31T16:30:00Z"))).toBe("2027-01-01");
    vi.stubEnv("QUARTERDECK_TIME_ZONE", "America/New_York");
    expect(today(new Date("2026-11-24T03:00:00Z"))).toBe("2026-11-23");
    vi.stubEnv("QUARTERDECK_TIME_ZONE", "UTC");
    expect(today(new Date("2026-11-23T23:30:00Z"))).toBe("2026-11-23");
    vi.stubEnv("QUARTERDECK_TODAY", "2025-06-30");
    expect(today(new Date("2026-11-23T12:00:00Z"))).toBe("2025-06-30");
  });

  it("refuses a QUARTERDECK_TODAY that is not a date", () => {
    vi.stubEnv("QUARTERDECK_TODAY", "2025-02-30");
    expect(() => today()).toThrow(/QUARTERDECK_TODAY/);
  });
});
