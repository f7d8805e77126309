"""django-import-export resource for allocations (the admin's import/export)."""

from import_export import resources

from .models import Allocation


class AllocationResource(resources.ModelResource):
    class Meta:
        model = Allocation
        import_id_fields = ["unit_code", "year", "source", "use"]
