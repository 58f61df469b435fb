// The JUnit report (--junit): one test case per finding at or above --fail-on, or one case saying
// why the gate could not decide. The one XML writer of `scan`.
import type { Evaluation } from "./gate.ts";

/**
 * Characters XML 1.0 allows (https://www.w3.org/TR/xml/#charsets): tab, LF, CR, U+0020–U+D7FF,
 * U+E000–U+FFFD, U+10000–U+10FFFF. Everything else (C0 controls, U+FFFE, U+FFFF, unpaired
 * surrogates) makes the document not well-formed, so it is dropped.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export function xmlText(s: string): string {
  return s.replace(NOT_XML_CHAR, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

export interface JunitCase {
  name: string;
  /** A failing case: its type, one-line message and detail. */
  failure?: { type: string; message: string; detail: string };
  /** Text of a passing case. */
  out?: string;
}

/** A JUnit document of one suite named after the image. */
export function junitDocument(image: string, cases: JunitCase[], seconds: number): string {
  const all = cases.length > 0 ? cases : [];
  const failures = all.filter((c) => c.failure).length;
  const time = seconds.toFixed(3);
  const lines = all.map((c) => {
    const open = `    <testcase classname="${xmlText(image)}" name="${xmlText(c.name)}"`;
    if (c.failure)
      return `${open}><failure type="${xmlText(c.failure.type)}" message="${xmlText(c.failure.message)}">${xmlText(c.failure.detail)}</failure></testcase>`;
    if (c.out !== undefined) return `${open}><system-out>${xmlText(c.out)}</system-out></testcase>`;
    return `${open}/>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="harbor-ci scan" tests="${all.length}" failures="${failures}" time="${time}">`,
    `  <testsuite name="Harbor scan of ${xmlText(image)}" tests="${all.length}" failures="${failures}" errors="0" skipped="0" time="${time}">`,
    ...lines,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}

/** The cases of an evaluation: allowed findings pass with a note, blocking ones fail. */
export function evaluationCases(e: Evaluation): JunitCase[] {
  const cases: JunitCase[] = e.findings
    .filter((f) => f.gating)
    .map((f) => {
      const name = `${f.severity} ${f.id} in ${f.package} ${f.version}`;
      if (f.allowedBy) return { name, out: `allowed until ${f.allowedBy.expires}: ${f.allowedBy.reason}` };
      const detail = [
        `${f.id} (${f.severity}) in ${f.package} ${f.version}`,
        f.fix_version ? `fixed in ${f.fix_version}` : "no fix available yet",
        ...(f.links ?? []).slice(0, 3),
      ];
      return { name, failure: { type: f.severity, message: `${f.id} reaches --fail-on ${e.failOn}`, detail: detail.join("\n") } };
    });
  if (e.fromOverviewOnly && e.blockingCount > 0) {
    cases.push({
      name: `vulnerabilities at or above ${e.failOn}`,
      failure: {
        type: "overview",
        message: `${e.blockingCount} finding(s) at or above ${e.failOn}`,
        detail: "details not readable: grant the robot artifact-addition:read (harbor-ci setup --scan)",
      },
    });
  }
  if (cases.length === 0) cases.push({ name: `no vulnerabilities at or above ${e.failOn}` });
  return cases;
}

/** The one case of a gate that could not decide. */
export function errorCases(err: { code: string; message: string; fix?: string }): JunitCase[] {
  return [{ name: "Harbor scan", failure: { type: err.code, message: err.message, detail: err.fix ?? "" } }];
}
