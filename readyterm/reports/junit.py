"""JUnit XML: one testsuite, one testcase per checklist step (GitLab, Jenkins, CircleCI)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from readyterm.engine.result import RunResult
from readyterm.foundation.findings import Finding
from readyterm.foundation.steps import STEPS_BY_ID


def render_junit(result: RunResult, color: bool = False) -> str:
    counts = {
        status: sum(s.status == status for s in result.steps)
        for status in ("fail", "error", "skipped")
    }
    attrs = {
        "name": "readyterm",
        "tests": str(len(result.steps)),
        "failures": str(counts["fail"]),
        "errors": str(counts["error"]),
        "skipped": str(counts["skipped"]),
        "time": f"{sum(s.seconds for s in result.steps):.3f}",
    }
    suites = ET.Element("testsuites", attrs)
    suite = ET.SubElement(suites, "testsuite", attrs)
    for step in result.steps:
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": "readyterm.checklist",
                "name": f"{step.id}: {STEPS_BY_ID[step.id].question}",
                "time": f"{step.seconds:.3f}",
            },
        )
        if step.status == "fail":
            failure = ET.SubElement(case, "failure", {"message": step.summary, "type": "not-ready"})
            failure.text = "\n".join(_line(f) for f in step.open_findings())
        elif step.status == "error":
            error = ET.SubElement(
                case,
                "error",
                {"message": step.summary.split("\n")[0], "type": "check-could-not-run"},
            )
            error.text = step.summary
        elif step.status == "skipped":
            ET.SubElement(case, "skipped", {"message": step.summary})
        elif step.open_findings():
            output = ET.SubElement(case, "system-out")
            output.text = "\n".join(_line(f) for f in step.open_findings())
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def _line(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    headline = finding.message.splitlines()[0] if finding.message else ""
    return f"[{finding.severity}] {where} {finding.rule}: {headline}"
