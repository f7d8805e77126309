"""django-import-export resource for premises (the admin's import/export)."""

from import_export import resources

from .models import Premises


class PremisesResource(resources.ModelResource):
    class Meta:
        model = Premises
