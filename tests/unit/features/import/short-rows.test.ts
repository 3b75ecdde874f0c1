import { describe, expect, it } from "vitest";

import { createI18n } from "~/i18n";
import { ImportContext } from "~/features/import/context";
import { formatIssue } from "~/features/import/report";

import { csvFile, run, xlsxFile } from "../../../fixtures/import/helpers";

const CUSTOMERS = "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days";

describe("rows with fewer values than the header", () => {
  it("are errors in a CSV: the values after the missing one would shift into the wrong columns", async () => {
    const result = await run(
      csvFile("customers.csv", [CUSTOMERS, "C1,Alpha,East,,A,1000,45", "SHORT1,Short Row Co,East,staff@demo.quarterdeck,A,90", "C2,Beta,,,,,"]),
      { kind: "customers" },
    );
    expect(result.report).toEqual([
      "customers.csv:3: the row has fewer values than the header has columns (6 vs 7); is a value or a separator missing? The columns after it would shift",
    ]);
    expect(result.errorCount).toBe(1);
    expect(result.rows.map((row) => row.record)).not.toContainEqual(expect.objectContaining({ code: "SHORT1" }));
    const issue = result.errors[0];
    if (!issue) throw new Error("no issue");
    expect(formatIssue(issue, createI18n("zh-CN").t)).toBe(
      "customers.csv:3: 这一行的值比表头的列少（6 个值，7 列）；是不是缺了一个值或分隔符？后面的列会错位",
    );
  });

  it("are errors in a semicolon CSV and through a column mapping too, the quoted way included", async () => {
    const semicolon = await run(csvFile("c.csv", [CUSTOMERS.replaceAll(",", ";"), '"C1";"Alpha"']), { kind: "customers" });
    expect(semicolon.report).toEqual([expect.stringContaining("c.csv:2: the row has fewer values than the header has columns (2 vs 7)")]);
    const mapped = await run(
      csvFile("pay.csv", ["Ref,Client,Date,Amount,Note", "P1,C1,2025-01-01,5"]),
      { mapping: { name: "bank", target: "payments", dateFormat: "YYYY-MM-DD", columns: { payment_no: "Ref", customer_code: "Client", date: "Date", amount: "Amount" } } },
      new ImportContext(),
    );
    expect(mapped.report).toEqual([expect.stringContaining("pay.csv:2: the row has fewer values than the header has columns (4 vs 5)")]);
  });

  it("are read as before when only blank header columns are missing, or in an XLSX (trailing empty cells are not written)", async () => {
    const trailing = await run(csvFile("c.csv", [`${CUSTOMERS},,`, "C1,Alpha,,,,,"]), { kind: "customers" });
    expect(trailing.errorCount).toBe(0);
    expect(trailing.rows).toHaveLength(1);

    const xlsx = await run(
      await xlsxFile("customers.xlsx", { Customers: [CUSTOMERS.split(","), ["C1", "Alpha", "East"]] }),
      { kind: "customers" },
    );
    expect(xlsx.report).toEqual([]);
    expect(xlsx.rows.map((row) => row.record)).toEqual([
      { code: "C1", name: "Alpha", region: "East", ownerEmail: null, creditGrade: null, creditLimit: null, paymentTermsDays: 30 },
    ]);
  });
});
