"""django-import-export resource for the worker roster (the admin's import/export): the columns of the workbook's
「社区工作者」 sheet (communities/workbook/columns.py), plus 年度."""

from communities.workbook.admin_resources import sheet_resource
from communities.workbook.columns import WORKERS

# A worker is matched by name and birth year within the return (the ID number may be added later).
WorkerResource = sheet_resource(
    WORKERS, import_id_fields=["survey_return", "name", "birth_year"], name="WorkerResource"
)
