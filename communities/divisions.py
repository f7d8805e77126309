"""The national division list (统计用区划代码): loading it into the region tree, and full names from it.

The list (provinces to townships) is shipped in ``communities/data/divisions/`` with its source. Loading creates the
regions it lacks and renames those still named by their code or by an earlier list; a name that a workbook or an
administrator gave a unit is kept, and only the listed name beside it is brought up to date.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

BUNDLED = Path(__file__).resolve().parent / "data" / "divisions"
FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv")
# Levels of the list that hold no unit of their own: left out of a full name (仙桃市 429004 is 湖北省仙桃市).
PLACEHOLDERS = frozenset(("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"))
BATCH = 2000


class DivisionListError(Exception):
    """The folder does not hold a division list of the expected shape; the message says why, in Chinese."""


@dataclass
class LoadResult:
    added: list[tuple[str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # code, old name, new name
    relisted: int = 0  # units whose own name was kept, their listed name updated
    total: int = 0

    def summary(self) -> str:
        return (
            f"区划代码表共 {self.total} 个单位：新增 {len(self.added)} 个，更名 {len(self.renamed)} 个，"
            f"其余 {self.total - len(self.added) - len(self.renamed)} 个不变"
            + (f"（其中 {self.relisted} 个保留了调查表或管理员所填名称）" if self.relisted else "")
            + "。"
        )


def read_divisions(folder: Path | str | None = None) -> dict[str, str]:
    """code → name of every unit in the list's four files."""
    folder = Path(folder) if folder else BUNDLED
    missing = [filename for filename in FILES if not (folder / filename).is_file()]
    if missing:
        raise DivisionListError(f"区划代码表目录 {folder} 中缺少 {'、'.join(missing)}。")
    names: dict[str, str] = {}
    for filename, length in zip(FILES, (2, 4, 6, 9), strict=True):
        path = folder / filename
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream)
            if not {"code", "name"} <= set(reader.fieldnames or ()):
                raise DivisionListError(f"{filename} 的表头应包含 code 和 name 两列。")
            for line, row in enumerate(reader, start=2):
                code, name = (row["code"] or "").strip(), (row["name"] or "").strip()
                if len(code) != length or not code.isdigit() or not name:
                    raise DivisionListError(f"{filename} 第 {line} 行：代码应为 {length} 位数字且名称不能为空。")
                names[code] = name
    return names


def load_divisions(region_model, folder: Path | str | None = None) -> LoadResult:
    """Create or rename the regions above the community from the list (``region_model``: the Region model, or the
    historical one in a migration). Idempotent: a second run changes nothing."""
    listed = read_divisions(folder)
    result = LoadResult(total=len(listed))
    stored = {code: (name, old) for code, name, old in region_model.objects.values_list("code", "name", "listed_name")}
    new, changed = [], []
    for code, name in listed.items():
        if code not in stored:
            new.append(region_model(code=code, name=name, listed_name=name))
            result.added.append((code, name))
            continue
        current, old_listed = stored[code]
        if current == name and old_listed == name:
            continue
        if current in (code, old_listed) or current == name:
            if current != name:
                result.renamed.append((code, current, name))
            changed.append(region_model(code=code, name=name, listed_name=name))
        else:  # a name a workbook or an administrator gave it: kept
            result.relisted += int(old_listed != name)
            changed.append(region_model(code=code, name=current, listed_name=name))
    with transaction.atomic():
        region_model.objects.bulk_create(new, batch_size=BATCH)
        region_model.objects.bulk_update(changed, ["name", "listed_name"], batch_size=BATCH)
    return result


def full_name(names: dict[str, str], code: str) -> str:
    """The unit's name with its ancestors', placeholders left out: 湖北省仙桃市, 湖北省襄阳市保康县.
    ``names`` maps codes to names (the unit's and its ancestors')."""
    parts = []
    for length in (2, 4, 6, 9):
        if len(code) < length:
            break
        name = names.get(code[:length])
        if name and name not in PLACEHOLDERS and name != code[:length]:
            parts.append(name)
    return "".join(parts) or names.get(code, code)
