"""django-import-export resources for the admin's import/export of the communities app's tables.

Chinese headers as the other tables, cells parsed with the workbook's parsers (a bad cell is a per-field error with
a Chinese message), and unchanged rows skipped: a round trip (export → import) reports and writes nothing.
"""

from import_export import fields

from .models import CodeChange, Region, Standard
from .workbook.admin_resources import (
    ColumnWidget,
    HeaderNormalisingResource,
    community_resource,
    survey_return_resource,
)
from .workbook.columns import CODE_CHANGE_COLUMNS, REGION_COLUMNS, STANDARD_COLUMNS, Column


def _fields(columns: tuple[Column, ...]) -> dict[str, fields.Field]:
    return {c.field: fields.Field(attribute=c.field, column_name=c.header, widget=ColumnWidget(c)) for c in columns}


def _required(columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(c.header for c in columns if c.required)


RegionResource = type(
    "RegionResource",
    (HeaderNormalisingResource,),
    {
        **_fields(REGION_COLUMNS),
        "required_headers": _required(REGION_COLUMNS),
        "Meta": type(
            "Meta",
            (),
            {
                "model": Region,
                "import_id_fields": ["code"],
                "fields": ["code", "name"],
                "skip_unchanged": True,
                "clean_model_instances": True,
            },
        ),
        "__module__": __name__,
    },
)

# Communities and returns use the workbook's 「社区基本情况」 columns (communities/workbook/columns.py).
CommunityResource = community_resource(name="CommunityResource")
SurveyReturnResource = survey_return_resource(name="SurveyReturnResource")

StandardResource = type(
    "StandardResource",
    (HeaderNormalisingResource,),
    {
        **_fields(STANDARD_COLUMNS),
        "required_headers": _required(STANDARD_COLUMNS),
        "Meta": type(
            "Meta",
            (),
            {
                "model": Standard,
                "import_id_fields": ["region_code", "key", "year_from"],
                "fields": ["region_code", "key", "year_from", "value", "source"],
                "skip_unchanged": True,
                "clean_model_instances": True,
            },
        ),
        "__module__": __name__,
    },
)

# The 区划变更 sheet's columns, as ``manage.py import_code_changes`` reads them.
CodeChangeResource = type(
    "CodeChangeResource",
    (HeaderNormalisingResource,),
    {
        **_fields(CODE_CHANGE_COLUMNS),
        "required_headers": _required(CODE_CHANGE_COLUMNS),
        "Meta": type(
            "Meta",
            (),
            {
                "model": CodeChange,
                "import_id_fields": ["old_code", "new_code", "year"],
                "fields": ["old_code", "new_code", "year", "kind", "note"],
                "skip_unchanged": True,
                "clean_model_instances": True,
            },
        ),
        "__module__": __name__,
    },
)
