"""Downloading an uploaded workbook: administrators get the file as uploaded, everyone else a copy with the ID
numbers masked (the 身份证号 column of 「社区工作者」, and ID-like text anywhere), everything else kept."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import ImportRecord

from .builders import A1, ID_1, only, survey, worker

YEAR = 2025
MASKED = ID_1[:4] + "*" * 10 + ID_1[-4:]


def upload(client, data):
    file = io.BytesIO(data)
    file.name = "调查表.xlsx"
    client.post(reverse("workbook:upload"), {"year": YEAR, "file": file})
    return ImportRecord.objects.latest("pk")


def download(client, record) -> bytes:
    response = client.get(reverse("workbook:download", args=[record.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def rows(data: bytes, sheet: str) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data))[sheet].iter_rows(values_only=True))


@pytest.mark.parametrize("viewer", ["clerk_a", "reviewer"])
def test_everyone_but_administrators_gets_the_ids_masked(request, client, clerk_a, viewer):
    client.force_login(clerk_a)
    original = survey()
    record = upload(client, original)
    client.force_login(request.getfixturevalue(viewer))
    copy = download(client, record)
    assert ID_1.encode() not in copy
    workers = rows(copy, "社区工作者")
    id_column = workers[0].index("身份证号")
    assert [r[id_column] for r in workers[1:]] == [None, MASKED, None]
    # Everything else as uploaded: the other columns of the sheet and the other sheets.
    expected = rows(original, "社区工作者")
    assert [r[:id_column] + r[id_column + 1 :] for r in workers] == [
        r[:id_column] + r[id_column + 1 :] for r in expected
    ]
    for sheet in ("社区基本情况", "办公服务用房", "经费", "服务项目"):
        assert rows(copy, sheet) == rows(original, sheet)


def test_an_id_typed_into_another_column_is_masked_too(client, clerk_a):
    client.force_login(clerk_a)
    record = upload(client, only("社区工作者", worker(离职原因=f"调出 {ID_1}")))
    text = " ".join(str(c) for r in rows(download(client, record), "社区工作者") for c in r if c)
    assert ID_1 not in text and MASKED in text


def test_an_administrator_gets_the_file_as_uploaded(client, clerk_a, administrator):
    client.force_login(clerk_a)
    original = survey()
    record = upload(client, original)
    client.force_login(administrator)
    assert download(client, record) == original
    assert ID_1 in [c for r in rows(download(client, record), "社区工作者") for c in r]


def test_a_masked_copy_of_a_workbook_with_the_id_column_elsewhere(client, clerk_a):
    from .builders import xlsx

    client.force_login(clerk_a)
    data = xlsx(
        {
            "社区基本情况": [["社区代码", "社区名称", "街道(乡镇)名称", "社区类型", "户数", "常住人口"]],
            "社区工作者": [[], ["身份证号 ", "社区代码", "姓名"], [ID_1, A1, "李四"]],
        }
    )
    record = upload(client, data)
    assert rows(download(client, record), "社区工作者")[2][0] == MASKED
