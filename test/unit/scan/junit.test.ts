import { describe, expect, it } from "vitest";
import { evaluate } from "../../../scripts/lib/scan/gate.ts";
import { errorCases, evaluationCases, junitDocument } from "../../../scripts/lib/scan/junit.ts";
import { parseXml } from "./xml-check.ts";

const NOW = new Date("2026-11-30T12:00:00Z");

describe("scan: JUnit report", () => {
  it("drops every character XML 1.0 forbids (U+FFFE, U+FFFF, unpaired surrogates, C0 controls) and stays well-formed", () => {
    const nasty = "a\uFFFEb\uFFFFc\uD800d\uDC00e\u0000f\u0001g\u001bh\u000bi\u000cj";
    const e = evaluate([{ id: `CVE-1${nasty}`, package: `pkg${nasty}`, version: "1<&>\"'", severity: "High", links: [`https://x/${nasty}`] }], "high", [], NOW);
    const doc = junitDocument(`img${nasty}`, evaluationCases(e), 1.5);
    for (const ch of ["\uFFFE", "\uFFFF", "\u0000", "\u0001", "\u001b", "\u000b", "\u000c"]) expect(doc).not.toContain(ch);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(doc)).toBe(false);
    const root = parseXml(doc);
    const testcase = root.children[0]?.children[0];
    expect(testcase?.attributes.name).toBe("High CVE-1abcdefghij in pkgabcdefghij 1<&>\"'");
    expect(testcase?.children[0]?.name).toBe("failure");
    expect(root.attributes.failures).toBe("1");
  });

  it("keeps characters outside the BMP that XML allows (a paired surrogate)", () => {
    const doc = junitDocument("img", errorCases({ code: "X", message: "emoji \u{1F600} ok" }), 0);
    expect(parseXml(doc).children[0]?.children[0]?.children[0]?.attributes.message).toBe("emoji \u{1F600} ok");
  });

  it("writes the error of a gate that could not decide with the same writer: one failing case", () => {
    const root = parseXml(junitDocument("img", errorCases({ code: "SCAN_TIMEOUT", message: "late", fix: "wait" }), 2));
    expect(root.attributes).toMatchObject({ tests: "1", failures: "1" });
    expect(root.children[0]?.children[0]?.children[0]).toMatchObject({ name: "failure", attributes: { type: "SCAN_TIMEOUT", message: "late" }, text: "wait" });
  });
});
