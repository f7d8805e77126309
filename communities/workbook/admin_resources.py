"""django-import-export resources built from the workbook's column definitions, for the admin's import/export.

The admin shows the same Chinese headers, parses cells with the same parsers (a bad cell is a per-field error
with a Chinese message, never a traceback) and writes money in 万元 where the workbook does. Rows of a yearly
return carry 社区代码 and 年度 (the admin imports raw rows, so the year is a column there).
"""

from __future__ import annotations

from import_export import fields, resources, widgets

from communities.models import Community, Region, ReturnStatus, SurveyReturn
from workforce.models import Worker

from . import values as v
from .columns import BASICS, WORKERS, Column, Sheet
from .ids import NEED_FULL_ID, IdResolver, is_masked


class ColumnWidget(widgets.Widget):
    def __init__(self, column: Column):
        super().__init__()
        self.column = column

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.column.required:
                raise ValueError(f"「{self.column.header}」必填，不能为空。")
            return self.column.empty
        return self.column.parse(value)

    def render(self, value, obj=None, **kwargs):
        if value is None or value == "":
            return ""
        return self.column.render(value)


class ReturnWidget(widgets.Widget):
    """社区代码 (with the row's 年度) → the yearly return; renders the community code."""

    def __init__(self):
        super().__init__()
        self.cache: dict[tuple[str, int], SurveyReturn] = {}

    def clean(self, value, row=None, **kwargs):
        code = v.parse_code(value, lengths=(12,))
        try:
            year = v.parse_int((row or {}).get("年度"), minimum=2000, maximum=2100)
        except v.CellError as error:
            raise ValueError(f"「年度」{error}") from None
        key = (code, year)
        if key not in self.cache:
            survey_return = SurveyReturn.objects.filter(community_id=code, year=year).first()
            if survey_return is None:
                raise ValueError(f"社区 {code} 没有 {year} 年的年度填报：请先导入「社区基本情况」或在年度填报中建立。")
            self.cache[key] = survey_return
        return self.cache[key]

    def render(self, value, obj=None, **kwargs):
        return value.community_id if value is not None else ""


class CodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key by division code, with a Chinese message when it does not exist."""

    def __init__(self, model, lengths):
        super().__init__(model, field="code")
        self.lengths = lengths

    def clean(self, value, row=None, **kwargs):
        code = v.parse_code(value, lengths=self.lengths)
        try:
            return self.model.objects.get(code=code)
        except self.model.DoesNotExist:
            raise ValueError(f"代码 {code} 不存在：请先建立该{self.model._meta.verbose_name}。") from None


class HeaderNormalisingResource(resources.ModelResource):
    """Headers are matched after normalisation ('（元）' = '(元)', trailing spaces); a missing required column is
    an error naming it, instead of a field silently saved as empty."""

    required_headers: tuple[str, ...] = ()

    def before_import(self, dataset, **kwargs):
        known = {v.normalise_header(f.column_name): f.column_name for f in self.get_import_fields()}
        dataset.headers = [known.get(v.normalise_header(h), h) for h in dataset.headers or []]
        missing = [h for h in self.required_headers if h not in dataset.headers]
        if missing:
            raise ValueError("缺少必填列：" + "、".join(f"「{h}」" for h in missing))
        super().before_import(dataset, **kwargs)


def _column_fields(sheet: Sheet, skip: tuple[str, ...]) -> dict[str, fields.Field]:
    return {
        column.field: fields.Field(
            attribute=column.field,
            column_name=column.header,
            widget=(IdNumberWidget if column.field == "id_number" else ColumnWidget)(column),
        )
        for column in sheet.columns
        if column.field not in skip
    }


class IdNumberWidget(ColumnWidget):
    """身份证号. A masked one (``4206**********1234``, as exports for non-administrators show it) stands for the
    stored worker of the same community and name whose ID it masks: the full ID is kept, as in the workbook
    import."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        if not is_masked(text):
            return text
        row = row or {}
        survey_return = ReturnWidget().clean(row.get("社区代码"), row=row)
        name = WORKERS.column("name").parse(row.get("姓名"))
        stored = (
            Worker.objects.filter(survey_return__community_id=survey_return.community_id, name=name)
            .exclude(id_number="")
            .values_list("survey_return__community_id", "name", "id_number", "survey_return__year")
        )
        full = IdResolver(stored, year=survey_return.year).resolve(survey_return.community_id, name, text)
        if full is None:
            raise ValueError("身份证号只显示了前后各 4 位，系统中没有该社区同名、号码相符的工作者：" + NEED_FULL_ID)
        return full


class WorkerIdentityMixin:
    """A worker is the one with this 身份证号 in the return where the row gives one, else the one with this
    (社区代码, 姓名, 出生年份) and no ID — as in the workbook import (``columns.worker_key``). A row that adds an ID
    to a worker stored without one updates that worker."""

    def get_instance(self, instance_loader, row):
        try:
            survey_return = self.fields["survey_return"].clean(row)
            id_number = self.fields["id_number"].clean(row) if "身份证号" in row else ""
            name, birth_year = self.fields["name"].clean(row), self.fields["birth_year"].clean(row)
        except ValueError:
            # A bad cell: no stored worker to find. The fields report it again as a per-field error with its
            # Chinese message (raised here it would be a row error with a traceback).
            return None
        workers = self.get_queryset().filter(survey_return=survey_return)
        if id_number:
            found = workers.filter(id_number=id_number).first()
            if found is not None:
                return found
        return workers.filter(id_number="", name=name, birth_year=birth_year).first()


def sheet_resource(sheet: Sheet, *, import_id_fields: list[str], name: str):
    """The admin resource of a sheet whose rows belong to a yearly return (workers, premises, programs)."""
    attrs = {
        "survey_return": fields.Field(attribute="survey_return", column_name="社区代码", widget=ReturnWidget()),
        "year": fields.Field(
            attribute="survey_return__year",
            column_name="年度",
            readonly=True,
            widget=widgets.IntegerWidget(coerce_to_string=False),
        ),
        **_column_fields(sheet, skip=("community_code",)),
        "required_headers": ("社区代码", "年度", *(c.header for c in sheet.columns[1:] if c.required)),
        "Meta": type(
            "Meta",
            (),
            {
                "model": sheet.model,
                "import_id_fields": import_id_fields,
                "fields": ["survey_return", "year", *sheet.data_fields],
                "export_order": ["survey_return", "year", *sheet.data_fields],
                "skip_unchanged": True,
                "clean_model_instances": True,
            },
        ),
    }
    bases = (WorkerIdentityMixin, HeaderNormalisingResource) if sheet is WORKERS else (HeaderNormalisingResource,)
    return type(name, bases, attrs)


def allocation_resource(sheet: Sheet, *, name: str):
    attrs = {
        **_column_fields(sheet, skip=()),
        "year": fields.Field(
            attribute="year", column_name="年度", widget=widgets.IntegerWidget(coerce_to_string=False)
        ),
        "required_headers": ("年度", *sheet.required_headers),
        "Meta": type(
            "Meta",
            (),
            {
                "model": sheet.model,
                "import_id_fields": ["unit_code", "year", "source", "use"],
                "fields": ["unit_code", "year", *sheet.data_fields[1:]],
                "export_order": ["unit_code", "year", *sheet.data_fields[1:]],
                "skip_unchanged": True,
                "clean_model_instances": True,
            },
        ),
    }
    return type(name, (HeaderNormalisingResource,), attrs)


def community_resource(*, name: str):
    columns = {c.field: c for c in BASICS.columns}

    def field(attribute, source):
        column = columns[source]
        return fields.Field(attribute=attribute, column_name=column.header, widget=ColumnWidget(column))

    attrs = {
        "code": fields.Field(attribute="code", column_name="社区代码", widget=ColumnWidget(columns["community_code"])),
        "name": field("name", "community_name"),
        "street": fields.Field(
            attribute="street", column_name="街道(乡镇)代码", widget=CodeForeignKeyWidget(Region, lengths=(9,))
        ),
        "community_type": field("community_type", "community_type"),
        "urban_rural_code": field("urban_rural_code", "urban_rural_code"),
        "required_headers": ("社区代码", "社区名称", "街道(乡镇)代码", "社区类型"),
        "Meta": type(
            "Meta",
            (),
            {
                "model": Community,
                "import_id_fields": ["code"],
                "fields": ["code", "name", "street", "community_type", "urban_rural_code"],
                "skip_unchanged": True,
                "clean_model_instances": True,
            },
        ),
    }
    return type(name, (HeaderNormalisingResource,), attrs)


class StatusWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return ReturnStatus(value).label if value else ""


def survey_return_resource(*, name: str):
    from .columns import BASICS_RETURN_FIELDS

    attrs = {
        "community": fields.Field(
            attribute="community", column_name="社区代码", widget=CodeForeignKeyWidget(Community, lengths=(12,))
        ),
        "year": fields.Field(
            attribute="year", column_name="年度", widget=widgets.IntegerWidget(coerce_to_string=False)
        ),
        **{
            c.field: fields.Field(attribute=c.field, column_name=c.header, widget=ColumnWidget(c))
            for c in BASICS.columns
            if c.field in BASICS_RETURN_FIELDS
        },
        # The workflow state is shown, never imported: approving and returning happen in the review pages.
        "status": fields.Field(attribute="status", column_name="状态", readonly=True, widget=StatusWidget()),
        "required_headers": ("社区代码", "年度", "户数", "常住人口"),
        "Meta": type(
            "Meta",
            (),
            {
                "model": SurveyReturn,
                "import_id_fields": ["community", "year"],
                "fields": ["community", "year", *BASICS_RETURN_FIELDS, "status"],
                "export_order": ["community", "year", *BASICS_RETURN_FIELDS, "status"],
                "skip_unchanged": True,
                "clean_model_instances": True,
            },
        ),
    }
    return type(name, (HeaderNormalisingResource,), attrs)
