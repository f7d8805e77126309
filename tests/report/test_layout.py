"""The Word document's layout, read back from its XML: the page number in the footer is a PAGE field, every table's
header row repeats on each page and stays with the first row, captions stay with their tables, headings are numbered
and are Word headings, the title block names the region and year, and the 落款 closes the body, right-aligned."""

from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from communities.report.services import survey_report_docx
from tests.conftest import COUNTY, STREET_A
from tests.report.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(report_data):
    _, content = survey_report_docx(region_code=COUNTY, year=YEAR)
    return Document(BytesIO(content))


def _today() -> str:
    now = timezone.localtime()
    return f"{now.year}年{now.month}月{now.day}日"


def test_the_footer_numbers_the_pages_with_a_page_field(document):
    footer = document.sections[0].footer
    xml = footer._element.xml
    assert "<w:instrText" in xml and " PAGE " in xml
    assert [c.get(qn("w:fldCharType")) for c in footer._element.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    paragraph = footer.paragraphs[0]
    assert paragraph.text == "— 1 —"  # the field's last value between the dashes
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_every_tables_header_row_repeats_and_no_row_splits(document):
    assert len(document.tables) >= 5
    for table in document.tables:
        first, *rest = table.rows
        assert first._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rest)
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
        # The header row keeps with the first row (its cells' paragraph style says so).
        assert all(cell.paragraphs[0].style.paragraph_format.keep_with_next for cell in first.cells)


def test_each_caption_is_kept_with_its_table(document):
    body = list(document.element.body.iterchildren())
    tables = [i for i, element in enumerate(body) if element.tag == qn("w:tbl")]
    for index in tables:
        caption = body[index - 1]
        assert caption.tag == qn("w:p")
        text = "".join(t.text for t in caption.iter(qn("w:t")))
        assert text.startswith("表")
        assert caption.pPr.find(qn("w:keepNext")) is not None, text


def test_headings_are_numbered_word_headings(document):
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == ["一、基本情况", "二、存在的问题", "三、对策建议", "四、与上年比较"]
    assert headings[-1].endswith("、附表")
    ordinals = "一二三四五六七八九十"
    assert [h.split("、")[0] for h in headings] == list(ordinals[: len(headings)])
    assert document.styles["Heading 1"].paragraph_format.keep_with_next


def test_the_title_block_names_the_region_in_full_and_the_year(document):
    title, subtitle, note = (p.text for p in document.paragraphs[:3])
    assert title == "保康县2025年社区建设情况调研报告"
    assert subtitle == "湖北省襄阳市保康县　2025年度"
    assert note.startswith(f"（数据来源：社区年度调查填报，{_today()}生成；统计范围：湖北省襄阳市保康县")


def test_the_signature_closes_the_body_right_aligned_before_the_appendix(document):
    paragraphs = document.paragraphs
    names = [p.text for p in paragraphs]
    at = names.index("保康县民政局")
    assert names[at + 1] == _today()
    assert paragraphs[at].alignment == paragraphs[at + 1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert names[at + 2].endswith("、附表")  # the appendix follows the signature


def test_a_streets_report_is_signed_by_its_countys_bureau(report_data):
    _, content = survey_report_docx(region_code=STREET_A, year=YEAR)
    names = [p.text for p in Document(BytesIO(content)).paragraphs]
    assert "保康县民政局" in names
    assert names[1] == "湖北省襄阳市保康县城关街道　2025年度"
