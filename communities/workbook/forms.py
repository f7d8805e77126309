"""Forms of the workbook pages: they only validate and normalise."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from communities.codes import REGION_CODE_RE, UNIT_CODE_RE
from communities.forms import Form
from communities.years import last_year

from .reader import WorkbookFileError, check_archive


def default_year() -> int:
    return last_year()


def check_upload(upload):
    """The checks every uploaded workbook passes before anything parses it (the upload page, the admin's import):
    the size limit, then the archive (not a workbook, password, damaged, compressed bomb, XML declarations)."""
    limit = settings.SURVEY_WORKBOOK_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件过大（%(size).1f MB），上限为 %(limit).0f MB：请按街道分成几个调查表分别上传。"),
            params={"size": upload.size / 1024 / 1024, "limit": limit / 1024 / 1024},
            code="too_large",
        )
    head = b"".join(upload.chunks())
    upload.seek(0)
    try:
        check_archive(head)
    except WorkbookFileError as error:
        raise ValidationError(str(error), code="bad_file") from None
    return upload


class AdminImportForm(ImportForm):
    """The admin's import form (django-import-export), with the upload page's file checks and messages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].error_messages.update(
            {"required": _("请选择要导入的文件（.xlsx）。"), "empty": _("上传的文件是空的。")}
        )

    def clean_import_file(self):
        return check_upload(self.cleaned_data["import_file"])


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("年度"))
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("initial", default_year)
        kwargs.setdefault(
            "error_messages",
            {"required": _("请填写年度。"), "invalid": _("年度应为 4 位数字，例如 2025。")},
        )
        super().__init__(**kwargs)


class UploadForm(Form):
    year = YearField()
    file = forms.FileField(
        label=_("调查表文件（.xlsx）"),
        error_messages={"required": _("请选择要上传的调查表文件。"), "empty": _("上传的文件是空的。")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


class DownloadForm(Form):
    """Year and (for reviewers and administrators) the region of a template or an export."""

    year = YearField()
    region = forms.CharField(label=_("区划代码"), required=False, max_length=12)

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        if code and not (REGION_CODE_RE.match(code) or UNIT_CODE_RE.match(code)):
            raise ValidationError(_("区划代码应为 2、4、6、9 或 12 位数字。"), code="region")
        return code
