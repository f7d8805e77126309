"""Small pieces of report prose shared by the sections: lists joined with 、, labels in Chinese punctuation, and the
sentence that cites the documents a problem's standards come from."""

from __future__ import annotations

from . import formatting as fmt

PROSE_PUNCTUATION = str.maketrans({"(": "（", ")": "）", "-": "—"})


def prose(label: str) -> str:
    """A category label as prose writes it: full-width brackets, ranges with a dash ("1000—2000户", "乡镇（街道）财政").
    The JSON keys keep DESIGN.md's spelling ("1000-2000户")."""
    return label.translate(PROSE_PUNCTUATION)


def join(parts: list[str], sep: str = "、") -> str:
    return sep.join(p for p in parts if p)


def nonzero(value) -> bool:
    number = fmt.to_decimal(value)
    return number is not None and number != 0


def basis(sources: list[str]) -> str:
    """ "标准依据：A；B。" for the distinct, non-empty sources, in order; '' when none is recorded."""
    found: list[str] = []
    for source in sources:
        text = (source or "").strip().rstrip("。")
        if text and text not in found:
            found.append(text)
    return f"标准依据：{'；'.join(found)}。" if found else ""


NATIONAL_DEFAULT = "全国默认值"
# What a standard's source says when it names no document: set on the command line without one, or the national
# defaults seeded as "地方常用标准" (common local practice, not a document).
NO_DOCUMENT = ("未注明依据文件", "地方常用标准（未设置本地标准时的默认值）")


def document(source: str, region_code: str | None) -> str:
    """The document a standard rests on as a report cites it: its name, or "全国默认值" for a national default
    that names none; '' for a local value that names none (nothing to cite)."""
    text = (source or "").strip().rstrip("。")
    if any(marker in text for marker in NO_DOCUMENT):
        text = ""
    if text:
        return text
    return NATIONAL_DEFAULT if region_code == "" else ""
