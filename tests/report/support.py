"""Reading a generated report back: the text of a .docx, and the numbers in a piece of text."""

import re
from io import BytesIO

from docx import Document

NUMBER = re.compile(r"\d+(?:\.\d+)?")


def docx_paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(BytesIO(content)).paragraphs]


def docx_tables(content: bytes) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in Document(BytesIO(content)).tables]


def docx_text(content: bytes) -> str:
    lines = docx_paragraphs(content)
    for table in docx_tables(content):
        lines.extend(" ".join(row) for row in table)
    return "\n".join(lines)


def numbers(text: str) -> list[str]:
    return NUMBER.findall(text)
