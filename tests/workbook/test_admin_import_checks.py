"""The admin's import (/admin/<app>/<model>/import/) checks a file as the upload page does: the same size limit,
archive checks and Chinese messages, a 400 for a refused file, and nothing parsed before the checks pass."""

import io
import zipfile

import pytest
from django.urls import reverse
from import_export.formats import base_formats

from tests.workforce.factories import WorkerFactory
from workforce.models import Worker
from workforce.resources import WorkerResource

from .builders import survey

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def zipped(entries: dict[str, bytes], compression=zipfile.ZIP_STORED) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return stream.getvalue()


def with_doctype(data: bytes) -> bytes:
    """A real workbook whose first sheet declares a billion-laughs entity."""
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {item.filename: source.read(item.filename) for item in source.infolist()}
    name = next(n for n in entries if n.startswith("xl/worksheets/sheet"))
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    body = entries[name]
    entries[name] = bomb + (body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body)
    return zipped(entries)


def admin_import(client, data, name="workers.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(
        reverse("admin:workforce_worker_import"), {"format": "0", "import_file": upload, "resource": "0"}
    )


@pytest.fixture
def parsed(monkeypatch):
    """Every dataset django-import-export parses."""
    calls = []
    original = base_formats.XLSX.create_dataset

    def create_dataset(self, in_stream):
        calls.append(len(in_stream))
        return original(self, in_stream)

    monkeypatch.setattr(base_formats.XLSX, "create_dataset", create_dataset)
    return calls


BAD_FILES = [
    (OLE2 + b"\x00" * 600, "另存为"),
    (OLE2 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 600, "密码"),
    ("社区代码,社区名称\n420626001001,东关\n".encode(), "CSV"),
    (b"PK\x03\x04 this is not really a zip", "损坏"),
    (zipped({"hello.txt": b"hello"}), "不是 Excel 工作簿"),
    (
        zipped(
            {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"<" + b" " * (50 * 1024 * 1024) + b">"},
            zipfile.ZIP_DEFLATED,
        ),
        "压缩",
    ),
    (with_doctype(survey()), "DOCTYPE"),
]


class TestTheAdminImportChecksTheFile:
    @pytest.mark.parametrize(
        ("data", "fragment"), BAD_FILES, ids=["xls", "password", "csv", "corrupt", "zip", "zip-bomb", "xml-entities"]
    )
    def test_a_bad_file_is_a_400_with_the_upload_pages_message(self, client, administrator, parsed, data, fragment):
        client.force_login(administrator)
        response = admin_import(client, data)
        page = response.content.decode()
        assert response.status_code == 400
        assert fragment in page and "encountered while trying to read file" not in page
        assert parsed == []  # refused before django-import-export read it

    def test_a_file_over_the_size_limit_is_refused(self, client, administrator, parsed, settings, street_a):
        WorkerFactory(survey_return__community__street=street_a)
        data = base_formats.XLSX().export_data(WorkerResource().export())
        settings.SURVEY_WORKBOOK_MAX_BYTES = len(data) - 1
        client.force_login(administrator)
        response = admin_import(client, data)
        assert response.status_code == 400 and "文件过大" in response.content.decode()
        assert parsed == []

    def test_a_good_file_still_previews(self, client, administrator, parsed, street_a):
        worker = WorkerFactory(survey_return__community__street=street_a, name="张三")
        data = base_formats.XLSX().export_data(WorkerResource().export())
        client.force_login(administrator)
        response = admin_import(client, data)
        assert response.status_code == 200 and worker.name in response.content.decode()
        assert parsed == [len(data)]
        assert Worker.objects.count() == 1

    def test_a_sheet_without_rows_says_so_in_chinese(self, client, administrator):
        data = base_formats.XLSX().export_data(WorkerResource().export())  # headers only
        client.force_login(administrator)
        response = admin_import(client, data)
        page = response.content.decode()
        assert response.status_code == 400 and "没有可导入的数据" in page and "No valid data" not in page


def test_the_upload_page_refuses_xml_entity_declarations_too(client, clerk_a):
    client.force_login(clerk_a)
    file = io.BytesIO(with_doctype(survey()))
    file.name = "调查表.xlsx"
    response = client.post(reverse("workbook:upload"), {"year": 2025, "file": file})
    assert response.status_code == 400 and "DOCTYPE" in response.content.decode()
