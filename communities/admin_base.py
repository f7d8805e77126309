"""What every admin page of Shequ shares: rows scoped to the user's region, xlsx import/export,
and no changes to the rows of an approved (locked) return."""

from import_export.admin import ImportExportModelAdmin


class ScopedAdmin(ImportExportModelAdmin):
    """Shows only the rows under the user's region; import needs the change permission, export the view one
    (``IMPORT_EXPORT_*_PERMISSION_CODE`` in settings)."""

    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


class LockedReturnChildAdmin(ScopedAdmin):
    """For rows that belong to a yearly return: read-only while the return is approved."""

    list_select_related = ["survey_return__community"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.survey_return.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.survey_return.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    @staticmethod
    def community_display(obj) -> str:
        return obj.survey_return.community.name

    @staticmethod
    def year_display(obj) -> int:
        return obj.survey_return.year
