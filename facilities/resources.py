"""django-import-export resource for premises (the admin's import/export): the columns of the workbook's
「办公服务用房」 sheet (communities/workbook/columns.py), plus 年度."""

from communities.workbook.admin_resources import sheet_resource
from communities.workbook.columns import PREMISES

PremisesResource = sheet_resource(PREMISES, import_id_fields=["survey_return", "name"], name="PremisesResource")
