"""Producing the survey report in its two forms. Thin: the content is ``compose.report_build``."""

from __future__ import annotations

from .compose import report_build
from .document import Report
from .writer import report_docx


def survey_report_docx(*, region_code: str, year: int, approved_only: bool = False) -> tuple[Report, bytes]:
    """The report for the region and year and its .docx bytes. Raises LookupError for an unknown region."""
    report = report_build(region_code=region_code, year=year, approved_only=approved_only)
    return report, report_docx(report)
