import { describe, expect, it } from "vitest";

import { isTrivialPattern, passwordProblem } from "~/kernel/password-policy";
import { newPasswordProblem } from "~/server/password-policy.server";

const context = { email: "wang.fang@example.com", name: "Wang Fang 王芳" };

describe("new passwords", () => {
  it.each([
    ["password1234", "validation.passwordCommon"],
    ["Password1234!", "validation.passwordCommon"],
    ["qwertyuiop12", "validation.passwordCommon"],
    ["iloveyou2026", "validation.passwordCommon"],
    ["123456789012", "validation.passwordCommon"],
    ["135791357913", "validation.passwordPattern"],
    ["aaaaaaaaaaaa", "validation.passwordPattern"],
    ["abcabcabcabc", "validation.passwordPattern"],
    ["987654321098", "validation.passwordPattern"],
    ["wang.fang@example.com", "validation.passwordContext"],
    ["Wang.Fang-2026!", "validation.passwordContext"],
    ["my fang is sharp", "validation.passwordContext"],
    ["Quarterdeck#2026", "validation.passwordContext"],
  ])("refuses %s (%s)", (password, problem) => {
    expect(newPasswordProblem(password, context)).toBe(problem);
  });

  it.each(["correct horse battery", "Tea-kettle orbit 47", "收款冲刺计划二〇二六年底", "mv8#Lq2!Zr9p"])("accepts %s", (password) => {
    expect(newPasswordProblem(password, context)).toBeNull();
  });

  it("reads the list it is given, so the rule is tested apart from the bundled data", () => {
    expect(passwordProblem("zebra-crossing", {}, new Set(["zebra-crossing"]))).toBe("validation.passwordCommon");
    expect(passwordProblem("zebra-crossing!!", {}, new Set(["zebra-crossing"]))).toBe("validation.passwordCommon");
    expect(passwordProblem("zebra-crossing", {}, new Set())).toBeNull();
    // Short names say nothing: "li" is inside too many words to refuse them.
    expect(passwordProblem("climbing ladders", { name: "Li Wei" }, new Set())).toBeNull();
  });

  it.each([
    ["123456789012", true],
    ["890123456789", true],
    ["abcdefghijkl", true],
    ["zyxwvutsrqpo", true],
    ["121212121212", true],
    ["123456789013", false],
    ["correct horse", false],
  ])("knows %s %s a trivial pattern", (password, trivial) => {
    expect(isTrivialPattern(password)).toBe(trivial);
  });
});
