"""django-import-export resource for the worker roster (the admin's import/export): the columns of the workbook's
「社区工作者」 sheet (communities/workbook/columns.py), plus 年度."""

from communities.workbook.admin_resources import sheet_resource
from communities.workbook.columns import WORKERS

# A worker is identified as in the workbook import: by 身份证号 where the row gives one, else by (社区代码, 姓名,
# 出生年份) — see WorkerIdentityMixin. The import id fields are the required columns that identification reads.
WorkerResource = sheet_resource(
    WORKERS, import_id_fields=["survey_return", "name", "birth_year"], name="WorkerResource"
)
