"""django-import-export resource for allocations (the admin's import/export): the columns of the workbook's
「经费」 sheet (communities/workbook/columns.py; amounts in 万元), plus 年度."""

from communities.workbook.admin_resources import allocation_resource
from communities.workbook.columns import FUNDING

AllocationResource = allocation_resource(FUNDING, name="AllocationResource")
