/**
 * The business date the tests run at. `QD_TEST_TODAY` (YYYY-MM-DD) sets it, so `.ci/run` can run
 * the date-sensitive suites again on 2 January and on a quarter's last day; without it, the
 * real date in the installation's time zone. This is the only place a test reads the wall clock:
 * servers under test get it as QUARTERDECK_TODAY and tests receive it, so a run that crosses
 * midnight still sees one date everywhere. No app imports: the e2e global setup loads it too.
 */
export function businessDateUnderTest(): string {
  const given = process.env.QD_TEST_TODAY?.trim();
  if (given) {
    const parsed = new Date(`${given}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(given) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== given) {
      throw new Error(`QD_TEST_TODAY must be a date written YYYY-MM-DD, got "${given}"`);
    }
    return given;
  }
  const timeZone = process.env.QUARTERDECK_TIME_ZONE || "Asia/Shanghai";
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

/**
 * A fixed instant on the business date under test (noon UTC unless told), for code that takes
 * `now`: tests pass it instead of reading the wall clock, so they mean the same at any date.
 */
export function instantOnBusinessDate(time = "12:00:00"): Date {
  const date = process.env.QUARTERDECK_TODAY?.trim() || businessDateUnderTest();
  return new Date(`${date}T${time}Z`);
}
