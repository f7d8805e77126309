"""The admin's import and export (django-import-export) as the workbook pages do them.

Import: the upload page's file checks — the same size limit, archive checks and Chinese messages
(``forms.check_upload``) — before anything parses the file, and a 400 for a refused file. Export: numbers and dates
as native xlsx cells (``formats.XLSX`` makes formula-like text a text cell, nothing else)."""

from __future__ import annotations

from django.utils import timezone

from communities.downloads import as_attachment, file_name

from .forms import AdminImportForm

# The changelist filters on the year, kept in the export's query string: the year goes into the file's name.
YEAR_FILTERS = ("year", "year__exact", "survey_return__year", "survey_return__year__exact")

NO_DATA_MESSAGE = "文件中没有可导入的数据：第一个工作表的第 1 行应为表头（可先导出一份作为模板），其下为数据行。"
UNREADABLE_MESSAGE = "文件已损坏或不是有效的 Excel 工作簿，无法读取：请在 Excel 中重新保存为 .xlsx 后再上传。"


class WorkbookFilesMixin:
    """For an ``ImportExportModelAdmin``: the import form checks the file as the upload page does; exports keep
    native types."""

    import_form_class = AdminImportForm

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        form = getattr(response, "context_data", {}).get("form")
        if request.method == "POST" and form is not None and form.has_error("import_file"):
            # django-import-export's own message for a sheet without rows has no Chinese translation.
            form.errors["import_file"] = form.error_class(
                [NO_DATA_MESSAGE if "No valid data" in str(m) else m for m in form.errors["import_file"]]
            )
            response.status_code = 400
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        # Instead of "'BadZipFile' encountered while trying to read file…": the file passed the checks but openpyxl
        # could not read it.
        form.add_error("import_file", UNREADABLE_MESSAGE)

    def get_export_filename(self, request, queryset, file_format):
        """社区工作者-保康县-2025年-2026-12-07.xlsx: the table, the user's region (全部 for administrators without
        one), the year when the list was filtered on one, and the date."""
        region = request.user.region.name if getattr(request.user, "region", None) else "全部"
        years = {request.GET.get(name) for name in YEAR_FILTERS} - {None, ""}
        year = f"{years.pop()}年" if len(years) == 1 else ""
        today = timezone.localdate().isoformat()
        return file_name(self.model._meta.verbose_name_plural, region, year, today, ext=file_format.get_extension())

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # django-import-export writes the name into filename="…" as it is, which a Chinese name cannot be.
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        return as_attachment(response, self.get_export_filename(request, queryset, file_format))

    def get_data_for_export(self, request, queryset, **kwargs):
        # django-import-export asks widgets for native values only for its own xlsx class (``BINARY_FORMATS``), not
        # for a subclass such as ours: every format here is xlsx.
        kwargs["force_native_type"] = True
        return super().get_data_for_export(request, queryset, **kwargs)
