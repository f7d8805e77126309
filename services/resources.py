"""django-import-export resource for service programs (the admin's import/export): the columns of the workbook's
「服务项目」 sheet (communities/workbook/columns.py; 经费 in 万元), plus 年度."""

from communities.workbook.admin_resources import sheet_resource
from communities.workbook.columns import PROGRAMS

ServiceProgramResource = sheet_resource(
    PROGRAMS, import_id_fields=["survey_return", "name"], name="ServiceProgramResource"
)
