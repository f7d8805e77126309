"""The survey report as data: sections of paragraphs and tables, written once and rendered twice.

``compose.report_build`` fills a ``Report``; ``writer.report_docx`` turns it into a Word document and
``templates/report/report.html`` into the printable page, so the two can never say different things.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CHINESE_ORDINALS = "一二三四五六七八九十"


def ordinal(index: int) -> str:
    """0 -> "一", 9 -> "十", beyond that in digits."""
    return CHINESE_ORDINALS[index] if index < len(CHINESE_ORDINALS) else str(index + 1)


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    # Columns holding figures (right-aligned in both renderings), by index.
    numeric: set[int] = field(default_factory=set)
    note: str = ""


@dataclass
class Block:
    """A paragraph, optionally opened by a bold lead such as "（一）社区用房面积不达标。"."""

    text: str
    lead: str = ""


@dataclass
class Section:
    """A chapter of the report. ``heading`` is numbered ("一、基本情况") once the report is assembled
    (``Report.number_headings``); a section with no heading (the opening 调研说明) is only paragraphs."""

    heading: str
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # The appendix (附表) follows the 落款, as attachments follow the signature of an official document.
    appendix: bool = False

    def add(self, text: str, lead: str = "") -> None:
        self.blocks.append(Block(text=text, lead=lead))


@dataclass
class Report:
    title: str
    region_code: str
    region_name: str
    year: int
    generated_at: str
    source_note: str
    sections: list[Section] = field(default_factory=list)
    has_data: bool = True  # False: the region has no returns for the year (the report only says so)
    approved_only: bool = False  # the figures of approved returns only (仅统计已审核)
    # The title block's second line: the region's full name and the year ("湖北省襄阳市保康县　2025年度").
    subtitle: str = ""
    # The 落款 at the end, right-aligned: who issues the report and when ("保康县民政局", "2026年12月8日").
    signature: str = ""
    signed_on: str = ""

    def section(self, title: str) -> Section:
        """The section titled ``title`` ("存在的问题"), numbered or not; KeyError when there is none."""
        for section in self.sections:
            if section.heading == title or section.heading.endswith(f"、{title}"):
                return section
        raise KeyError(title)

    @property
    def has_appendix(self) -> bool:
        return any(section.appendix for section in self.sections)

    def number_headings(self) -> None:
        """Prefix each headed section with its Chinese ordinal, in order: 一、 二、 ... (the opening has none)."""
        index = 0
        for section in self.sections:
            if section.heading:
                section.heading = f"{ordinal(index)}、{section.heading}"
                index += 1

    @property
    def filename(self) -> str:
        """The title as the file's name: "保康县2025年社区建设情况调研报告.docx"."""
        return f"{self.title}.docx"

    def text(self) -> str:
        """All the report's words and figures, in reading order (for tests and plain-text output)."""
        lines = [self.title, self.subtitle, self.source_note]
        for section in self.sections:
            if section.appendix:
                lines.extend([self.signature, self.signed_on])
            if section.heading:
                lines.append(section.heading)
            lines.extend(block.lead + block.text for block in section.blocks)
            for table in section.tables:
                lines.append(table.caption)
                lines.append(" ".join(table.headers))
                lines.extend(" ".join(row) for row in table.rows)
                if table.note:
                    lines.append(table.note)
        if not self.has_appendix:
            lines.extend([self.signature, self.signed_on])
        return "\n".join(line for line in lines if line)
