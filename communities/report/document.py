"""The survey report as data: sections of paragraphs and tables, written once and rendered twice.

``compose.report_build`` fills a ``Report``; ``writer.report_docx`` turns it into a Word document and
``templates/report/report.html`` into the printable page, so the two can never say different things.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    heading: str
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

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

    @property
    def filename(self) -> str:
        """The title as the file's name: "保康县2025年社区建设情况调研报告.docx"."""
        return f"{self.title}.docx"

    def text(self) -> str:
        """All the report's words and figures, in reading order (for tests and plain-text output)."""
        lines = [self.title, self.source_note]
        for section in self.sections:
            lines.append(section.heading)
            lines.extend(block.lead + block.text for block in section.blocks)
            for table in section.tables:
                lines.append(table.caption)
                lines.append(" ".join(table.headers))
                lines.extend(" ".join(row) for row in table.rows)
                if table.note:
                    lines.append(table.note)
        return "\n".join(lines)
