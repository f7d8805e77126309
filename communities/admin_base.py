"""What every admin page of Shequ shares: rows scoped to the user's region, xlsx import/export,
and no changes to the rows of an approved (locked) return — through the change form, delete, bulk delete
or an xlsx import."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from import_export.admin import ImportExportModelAdmin

from workforce.validators import mask_id_number

from .access import is_row_locked

LOCKED_MESSAGE = "该年度填报已审核锁定，不能修改；如需修改，请审核员先重新打开。"


def locking_resource(resource_class):
    """The resource class with a guard: an import row that would change or delete a locked row is a
    validation error (the whole import is refused, django-import-export shows the row)."""

    class LockingResource(resource_class):
        def before_save_instance(self, instance, row, **kwargs):
            if is_row_locked(instance):
                raise ValidationError(LOCKED_MESSAGE)
            super().before_save_instance(instance, row, **kwargs)

        def before_delete_instance(self, instance, row, **kwargs):
            if is_row_locked(instance):
                raise ValidationError(LOCKED_MESSAGE)
            super().before_delete_instance(instance, row, **kwargs)

    LockingResource.__name__ = resource_class.__name__
    LockingResource.__qualname__ = resource_class.__qualname__
    return LockingResource


def masking_resource(resource_class):
    """The resource class with ID numbers masked in exports (for everyone but administrators)."""

    class MaskingResource(resource_class):
        def export_field(self, field, instance, **kwargs):
            value = super().export_field(field, instance, **kwargs)
            if field.attribute == "id_number" and value:
                return mask_id_number(str(value))
            return value

    MaskingResource.__name__ = resource_class.__name__
    MaskingResource.__qualname__ = resource_class.__qualname__
    return MaskingResource


class ScopedAdmin(ImportExportModelAdmin):
    """Shows only the rows under the user's region; import needs the change permission, export the view one
    (``IMPORT_EXPORT_*_PERMISSION_CODE`` in settings)."""

    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # A row outside the user's region is a 404 like everywhere else, not Django's redirect to the index.
        raise Http404("没有找到该记录，或您无权查看。")

    def get_import_resource_classes(self, request):
        # Every import refuses rows of an approved return (a no-op for tables that hold none, e.g. regions).
        return [locking_resource(cls) for cls in super().get_import_resource_classes(request)]


class LockedRowsAdmin(ScopedAdmin):
    """Read-only while the row is locked (``access.is_row_locked``); bulk delete refuses locked rows."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and is_row_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_row_locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # An add (or a change that moves a row into a locked return) is refused like an edit of a locked row.
        if is_row_locked(obj):
            raise PermissionDenied(LOCKED_MESSAGE)
        super().save_model(request, obj, form, change)

    def delete_queryset(self, request, queryset):
        if any(is_row_locked(obj) for obj in queryset):
            raise PermissionDenied(LOCKED_MESSAGE)
        super().delete_queryset(request, queryset)


class LockedReturnChildAdmin(LockedRowsAdmin):
    """For rows that belong to a yearly return: read-only while the return is approved. ID numbers (workers)
    are shown and exported masked to everyone but administrators, and their history versions are for
    administrators only (they show the whole record)."""

    list_select_related = ["survey_return__community"]

    def _hides_id_numbers(self, request) -> bool:
        return hasattr(self.model, "masked_id_number") and not request.user.is_administrator

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return [*exclude, "id_number"] if self._hides_id_numbers(request) else exclude

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "masked_id_number_display"] if self._hides_id_numbers(request) else readonly

    @admin.display(description="身份证号（已隐藏）")
    def masked_id_number_display(self, obj) -> str:
        return obj.masked_id_number if obj else ""

    def get_export_resource_classes(self, request):
        classes = super().get_export_resource_classes(request)
        return [masking_resource(cls) for cls in classes] if self._hides_id_numbers(request) else classes

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self._hides_id_numbers(request):
            raise PermissionDenied("历史版本包含完整身份证号，只有管理员可以查看。")
        return super().history_form_view(request, object_id, version_id, extra_context)

    @staticmethod
    def community_display(obj) -> str:
        return obj.survey_return.community.name

    @staticmethod
    def year_display(obj) -> int:
        return obj.survey_return.year
