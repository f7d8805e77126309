"""django-import-export resource for service programs (the admin's import/export)."""

from import_export import resources

from .models import ServiceProgram


class ServiceProgramResource(resources.ModelResource):
    class Meta:
        model = ServiceProgram
