import { businessDateUnderTest } from "../support/business-date";

// Code under test that asks for "today" gets the run's business date, never the wall clock; a test
// that needs another date stubs QUARTERDECK_TODAY itself.
process.env.QUARTERDECK_TODAY = businessDateUnderTest();
