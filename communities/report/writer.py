"""The survey report as a Word document (python-docx), laid out like the reports county bureaus write by hand:
a title block (the title, the region's full name and the year, the data note), 仿宋 body text with a two-character
first-line indent, numbered 黑体 headings (Word's 标题 1, so they show in the navigation pane), grid tables whose
caption and header row stay with the first rows and whose header row repeats on every page, the page number in the
footer ("— 1 —", a PAGE field) and the 落款 (the bureau and the date) after the body, right-aligned, the
appendix tables after it."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .document import Report, Table

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
SUBTITLE_FONT = "楷体"


def _set_font(run_or_style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    # Word picks the East Asian font from w:eastAsia, not from w:ascii.
    element = run_or_style.element
    r_pr = element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    r_fonts.set(qn("w:eastAsia"), name)


def _paragraph(document, text: str = "", *, lead: str = "", indent: bool = True):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 16 pt
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)
    if lead:
        _set_font(paragraph.add_run(lead), HEADING_FONT if lead.startswith("（") else BODY_FONT, bold=True)
    if text:
        _set_font(paragraph.add_run(text), BODY_FONT)
    return paragraph


def _table_styles(document) -> tuple:
    """Paragraph styles for table headers and cells: fonts set once on the style, not on every run (fast)."""
    header = document.styles.add_style("报告表头", WD_STYLE_TYPE.PARAGRAPH)
    header.base_style = document.styles["Normal"]
    _set_font(header, HEADING_FONT, size=9)
    header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.paragraph_format.keep_with_next = True
    cell = document.styles.add_style("报告表格", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = document.styles["Normal"]
    _set_font(cell, BODY_FONT, size=9)  # 小五, as report tables usually are
    number = document.styles.add_style("报告表格数字", WD_STYLE_TYPE.PARAGRAPH)
    number.base_style = cell
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return header, cell, number


TEXT_WIDTH_CM = 21 - 2.8 - 2.6  # A4 less the left and right margins


def _display_width(text: str) -> int:
    """In half-width units: a CJK character counts two, a digit or Latin letter a little more than one."""
    return sum(2 if ord(ch) > 0x2E80 else 1.2 for ch in text)


def _column_widths(table: Table) -> list:
    """Widths in proportion to each column's longest cell (a header may wrap over three lines), plus the cell
    margins, so that codes and figures stay on one line; every column at least 1 cm."""
    weights = []
    for index, header in enumerate(table.headers):
        longest = max([_display_width(row[index]) for row in table.rows] or [0])
        weights.append(max(longest, _display_width(header) / 3, 2) + 3)
    total = sum(weights)
    widths = [max(TEXT_WIDTH_CM * weight / total, 1.0) for weight in weights]
    scale = TEXT_WIDTH_CM / sum(widths)
    return [Cm(width * scale) for width in widths]


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A field (PAGE, NUMPAGES) as Word writes it: begin, the instruction, separate, the last value shown, end."""

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    run = paragraph.add_run()
    run._r.append(char("begin"))
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    paragraph.add_run()._r.append(char("separate"))
    _set_font(paragraph.add_run(placeholder), BODY_FONT, size=14)
    paragraph.add_run()._r.append(char("end"))


def _page_numbers(section) -> None:
    """ "— 1 —" centred in the footer, as official documents number their pages (4号 仿宋)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(paragraph.add_run("— "), BODY_FONT, size=14)
    _field(paragraph, "PAGE", "1")
    _set_font(paragraph.add_run(" —"), BODY_FONT, size=14)


def _repeat_header(row) -> None:
    """The row repeats at the top of every page the table runs onto (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _no_split(row) -> None:
    """A row is never split across two pages (w:cantSplit)."""
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _heading_style(document):
    """Word's 标题 1 (outline level 1) dressed as report headings: 黑体 三号, black, not bold, indented two
    characters like the body."""
    style = document.styles["Heading 1"]
    _set_font(style, HEADING_FONT, size=16, bold=False)
    style.font.color.rgb = None
    style.font.italic = False
    r_fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi"):
        r_fonts.set(qn(attribute), HEADING_FONT)
    fmt = style.paragraph_format
    fmt.first_line_indent = Pt(32)
    fmt.space_before = Pt(6)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)
    fmt.keep_with_next = True
    return style


def _title_block(document, report: Report) -> None:
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(6)
    _set_font(title.add_run(report.title), TITLE_FONT, size=22, bold=True)
    if report.subtitle:
        subtitle = document.add_paragraph()
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
        subtitle.paragraph_format.space_after = Pt(6)
        _set_font(subtitle.add_run(report.subtitle), SUBTITLE_FONT, size=16)
    note = document.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.paragraph_format.space_after = Pt(12)
    _set_font(note.add_run(report.source_note), BODY_FONT, size=12)


def _signature(document, report: Report) -> None:
    """The 落款 after the body (before the appendix): a blank line, then the bureau and the date, right-aligned."""
    if not report.signature:
        return
    document.add_paragraph()
    for index, line in enumerate([report.signature, report.signed_on]):
        if not line:
            continue
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.line_spacing = Pt(28)
        paragraph.paragraph_format.right_indent = Pt(32)
        paragraph.paragraph_format.keep_with_next = index == 0
        _set_font(paragraph.add_run(line), BODY_FONT)


def _table(document, table: Table, styles: tuple) -> None:
    # Style ids set on the XML directly: python-docx's Paragraph.style setter scans every style on each call.
    header_id, cell_id, number_id = (style.style_id for style in styles)
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_before = Pt(12)
    caption.paragraph_format.keep_with_next = True  # never alone at the foot of a page
    _set_font(caption.add_run(table.caption), HEADING_FONT, size=12)

    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = _column_widths(table)
    for index, column in enumerate(grid.columns):
        column.width = widths[index]
    for row_index, row in enumerate(grid.rows):
        values = table.headers if row_index == 0 else table.rows[row_index - 1]
        _no_split(row)
        if row_index == 0:
            _repeat_header(row)
        for index, cell in enumerate(row.cells):
            cell.width = widths[index]  # Word reads the cell widths, LibreOffice the grid's
            paragraph = cell.paragraphs[0]
            paragraph.add_run(values[index])
            if row_index == 0:
                paragraph._p.style = header_id  # the style keeps the header row with the first row
            else:
                paragraph._p.style = number_id if index in table.numeric else cell_id
    if table.note:
        note = document.add_paragraph()
        _set_font(note.add_run(table.note), BODY_FONT, size=9)


def report_docx(report: Report) -> bytes:
    """The report as the bytes of a .docx file."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(3.7 - 1.2)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    normal = document.styles["Normal"]
    _set_font(normal, BODY_FONT, size=16)
    styles = _table_styles(document)
    document.core_properties.title = report.title
    document.core_properties.subject = f"{report.region_name}（{report.region_code}）{report.year}年"
    document.core_properties.author = "社区年度调查系统"

    _page_numbers(section)
    heading_style = _heading_style(document)
    _title_block(document, report)

    signed = False
    for part in report.sections:
        if part.appendix and not signed:
            _signature(document, report)
            signed = True
        if part.heading:
            document.add_paragraph(part.heading, style=heading_style)
        for block in part.blocks:
            _paragraph(document, block.text, lead=block.lead)
        for table in part.tables:
            _table(document, table, styles)
    if not signed:
        _signature(document, report)

    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
