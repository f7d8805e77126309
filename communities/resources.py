"""django-import-export resources for the admin's import/export of the communities app's tables.

Chinese headers as the other tables, cells parsed with the workbook's parsers (a bad cell is a per-field error with
a Chinese message), and unchanged rows skipped: a round trip (export → import) reports and writes nothing.
"""

from import_export import fields, widgets

from .models import Region, Standard, StandardKey
from .workbook import values as v
from .workbook.admin_resources import HeaderNormalisingResource, community_resource, survey_return_resource


class CodeWidget(widgets.Widget):
    """A division code of one of ``lengths`` (typed as text or a number); '' where ``blank`` (e.g. 全国)."""

    def __init__(self, lengths: tuple[int, ...], *, blank: bool = False):
        super().__init__(coerce_to_string=False)
        self.lengths, self.blank = lengths, blank

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.blank:
                return ""
            raise ValueError("必填，不能为空。")
        return v.parse_code(value, lengths=self.lengths)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class TextWidget(widgets.Widget):
    def __init__(self, *, max_length: int, required: bool = False):
        super().__init__(coerce_to_string=False)
        self.max_length, self.required = max_length, required

    def clean(self, value, row=None, **kwargs):
        text = v.parse_text(value, max_length=self.max_length)
        if self.required and not text:
            raise ValueError("必填，不能为空。")
        return text

    def render(self, value, obj=None, **kwargs):
        return value or ""


class EnumerationWidget(widgets.Widget):
    def __init__(self, enumeration: v.Enumeration):
        super().__init__(coerce_to_string=False)
        self.enumeration = enumeration

    def clean(self, value, row=None, **kwargs):
        text = v.cell_text(value)
        if text in self.enumeration.labels:  # the stored value, as older exports wrote it
            return text
        return self.enumeration.parse(value)

    def render(self, value, obj=None, **kwargs):
        return self.enumeration.render(value)


class NumberWidget(widgets.Widget):
    """A non-negative number with at most 4 decimals (a standard's value; rates are fractions)."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError("必填，不能为空。")
        return v.parse_decimal(value, max_digits=16, places=4)

    def render(self, value, obj=None, **kwargs):
        return v.number(value)


class YearWidget(widgets.Widget):
    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        return v.parse_int(value, minimum=2000, maximum=2100)

    def render(self, value, obj=None, **kwargs):
        return value


class RegionResource(HeaderNormalisingResource):
    code = fields.Field(attribute="code", column_name="区划代码", widget=CodeWidget((2, 4, 6, 9)))
    name = fields.Field(attribute="name", column_name="名称", widget=TextWidget(max_length=100, required=True))
    required_headers = ("区划代码", "名称")

    class Meta:
        model = Region
        import_id_fields = ["code"]
        fields = ["code", "name"]
        skip_unchanged = True
        clean_model_instances = True


# Communities and returns use the workbook's 「社区基本情况」 columns (communities/workbook/columns.py).
CommunityResource = community_resource(name="CommunityResource")
SurveyReturnResource = survey_return_resource(name="SurveyReturnResource")


class StandardResource(HeaderNormalisingResource):
    region_code = fields.Field(
        attribute="region_code", column_name="适用区划代码", widget=CodeWidget((2, 4, 6, 9, 12), blank=True)
    )
    key = fields.Field(attribute="key", column_name="标准项", widget=EnumerationWidget(v.Enumeration(StandardKey)))
    year_from = fields.Field(attribute="year_from", column_name="起始年度", widget=YearWidget())
    value = fields.Field(attribute="value", column_name="数值", widget=NumberWidget())
    source = fields.Field(attribute="source", column_name="依据文件", widget=TextWidget(max_length=300))
    required_headers = ("适用区划代码", "标准项", "起始年度", "数值")

    class Meta:
        model = Standard
        import_id_fields = ["region_code", "key", "year_from"]
        fields = ["region_code", "key", "year_from", "value", "source"]
        skip_unchanged = True
        clean_model_instances = True
