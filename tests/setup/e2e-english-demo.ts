import Database from "better-sqlite3";
import { beforeEach, inject } from "vitest";

/**
 * The language is kept on the user, and several browser tests switch a demo user to Chinese.
 * Each test starts with every demo user back in English, so one test's failure half-way (before
 * it could switch back) cannot turn the next tests' pages Chinese.
 */
beforeEach(() => {
  const db = new Database(inject("databaseFile"), { fileMustExist: true, timeout: 5000 });
  try {
    db.prepare("UPDATE users SET locale = 'en' WHERE email LIKE '%@demo.quarterdeck' AND locale <> 'en'").run();
  } finally {
    db.close();
  }
});
