"""django-import-export resource for the worker roster (the admin's import/export)."""

from import_export import resources

from .models import Worker


class WorkerResource(resources.ModelResource):
    class Meta:
        model = Worker
        exclude = []
