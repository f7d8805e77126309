"""What every admin page of Shequ shares: rows scoped to the user's region (their history pages too), xlsx
import/export, no changes to the rows of an approved (locked) return — through the change form, delete, bulk
delete or an xlsx import — and a new version of every return whose survey data an admin write changes."""

import contextlib
import hashlib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin
from import_export.forms import SelectableFieldsExportForm
from import_export.resources import modelresource_factory
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from workforce.validators import mask_id_number

from .access import can_see_id_numbers, is_row_locked
from .models import ReturnStatus, SurveyReturn
from .returns.forms import VERSION_MISSING_MESSAGE
from .returns.services import ReturnConflict, returns_lock_at_versions, returns_mark_changed
from .workbook.admin_files import WorkbookFilesMixin

LOCKED_MESSAGE = "该年度填报已审核锁定，不能修改；如需修改，请审核员先重新打开。"
NOT_FOUND_MESSAGE = "没有找到该记录，或您无权查看。"


def returns_of_row(obj) -> set[int]:
    """The returns whose survey data a row is, as the row is now: a worker's, premises' or program's own return;
    for an allocation of a community (12-digit unit code), that community's return of the year, if it has one."""
    if getattr(obj, "survey_return_id", None) is not None:
        return {obj.survey_return_id}
    if hasattr(obj, "unit_code") and hasattr(obj, "year") and len(obj.unit_code or "") == 12:
        return set(SurveyReturn.objects.filter(community_id=obj.unit_code, year=obj.year).values_list("pk", flat=True))
    return set()


def stored_returns_of_row(obj) -> set[int]:
    """The same for the row as stored, before a change that may move it to another return."""
    if obj.pk is None or isinstance(obj, SurveyReturn):
        return set()
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return returns_of_row(stored) if stored is not None else set()


def _returns_read(obj) -> set[int]:
    """The returns an existing row's form was read for: the return itself, or the returns the row belongs to."""
    return {obj.pk} if isinstance(obj, SurveyReturn) else returns_of_row(obj)


def encode_return_versions(return_ids: set[int]) -> str:
    """``"<pk>:<version>,..."`` of these returns as they are now (what the hidden field carries)."""
    versions = SurveyReturn.objects.filter(pk__in=return_ids).order_by("pk").values_list("pk", "version")
    return ",".join(f"{pk}:{version}" for pk, version in versions)


def decode_return_versions(text: str | None) -> dict[int, int] | None:
    """The versions of ``encode_return_versions``, or None when the text is garbled."""
    try:
        pairs = [item.split(":") for item in (text or "").split(",") if item]
        return {int(pk): int(version) for pk, version in pairs}
    except ValueError:
        return None


def locked_notice(obj) -> str:
    """Why a locked row's change form is read-only, with a link to its return's page."""
    survey_return = (
        SurveyReturn.objects.filter(pk__in=_returns_read(obj), status=ReturnStatus.APPROVED)
        .select_related("community")
        .first()
    )
    if survey_return is None:  # locked by a return the user cannot see: the rule alone
        return LOCKED_MESSAGE
    community = survey_return.community
    return format_html(
        "{}（{}）{} 年的年度填报已审核，已锁定，本页只能查看，不能修改；如需修改，请审核员先重新打开该填报。"
        ' <a href="{}">打开该年度填报</a>',
        community.name,
        community.code,
        survey_return.year,
        reverse("returns:detail", args=[community.code, survey_return.year]),
    )


class ReturnVersionAdminForm(forms.ModelForm):
    """The change form of a return or of one of its rows carries the versions of the returns the row belonged to
    when the form was rendered; saving it after somebody else saved one of them (the return page, an import,
    another admin form) is the return page's conflict (``ReturnConflict``): a form error, nothing written. The
    check locks those returns until the admin's transaction ends, so no save slips in between."""

    return_version = forms.CharField(label="填报版本", widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is not None:
            self.initial["return_version"] = encode_return_versions(_returns_read(self.instance))

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:  # an add: nothing was read before
            return cleaned_data
        posted = self.data.get(self.add_prefix("return_version"))
        read_at = decode_return_versions(posted)
        if posted is None or read_at is None:
            raise ValidationError(VERSION_MISSING_MESSAGE, code="version")
        try:
            # The instance is still the row as stored: the form's values are applied after clean().
            returns_lock_at_versions(read_at=read_at, return_ids=_returns_read(self.instance))
        except ReturnConflict as conflict:
            raise ValidationError(str(conflict), code="conflict") from None
        return cleaned_data


def row_digest(obj) -> str:
    """A fingerprint of a row's stored values: what a change form read (tables without a version column)."""
    values = "\x1f".join(repr(getattr(obj, f.attname)) for f in obj._meta.concrete_fields)
    return hashlib.sha256(values.encode()).hexdigest()[:32]


def row_changed_message(stored) -> str:
    """The conflict message of a row saved (or deleted) by somebody else since the form was read; who and when
    from the row's history, where it has one."""
    if stored is None:
        return "该记录在您打开后已被删除，您的修改没有保存。"
    history = getattr(stored, "history", None)
    last = history.select_related("history_user").order_by("-history_date").first() if history is not None else None
    if last is None:
        return "该记录在您打开后已被修改，您的修改没有保存。请查看最新内容后重新修改。"
    user = last.history_user
    who = (user.get_full_name() or user.username) if user else "其他用户"
    when = timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M")
    return f"该记录已被 {who} 于 {when} 修改，您的修改没有保存。请查看最新内容后重新修改。"


class RowVersionAdminForm(forms.ModelForm):
    """The change form of a row without a version column (communities, regions, standards) carries the digest of
    the row as the form read it; saving it after somebody else saved the row (another admin, an import) is refused
    with the conflict message, nothing written, instead of overwriting their change. The row stays locked until the
    admin's transaction ends, so no save slips in between."""

    row_version = forms.CharField(label="记录版本", widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # _state, not pk: these tables' keys are their codes, which an unsaved row has too ('').
        if not self.is_bound and not self.instance._state.adding:
            self.initial["row_version"] = row_digest(self.instance)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance._state.adding:  # an add: nothing was read before
            return cleaned_data
        posted = self.data.get(self.add_prefix("row_version"))
        if not posted:
            raise ValidationError(VERSION_MISSING_MESSAGE, code="version")
        stored = type(self.instance)._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        if stored is None or row_digest(stored) != posted:
            raise ValidationError(row_changed_message(stored), code="conflict")
        return cleaned_data


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


def change_marking_resource(resource_class):
    """The resource class that gives every return whose survey data an import saves or deletes one new version,
    the importing user and the time (``returns_mark_changed``), in the import's transaction. The preview (a dry
    run) and rows left unchanged mark nothing."""

    class ChangeMarkingResource(resource_class):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.marked_returns: set[int] = set()  # one resource per import: each return once

        def _mark(self, return_ids: set[int], kwargs) -> None:
            if self._is_dry_run(kwargs):
                return
            returns_mark_changed(return_ids=return_ids - self.marked_returns, user=kwargs.get("user"))
            self.marked_returns |= return_ids

        def before_save_instance(self, instance, row, **kwargs):
            super().before_save_instance(instance, row, **kwargs)
            self._mark(returns_of_row(instance) | stored_returns_of_row(instance), kwargs)

        def after_save_instance(self, instance, row, **kwargs):
            super().after_save_instance(instance, row, **kwargs)
            if isinstance(instance, SurveyReturn):  # after its own save, which wrote the version it was read at
                self._mark({instance.pk}, kwargs)

        def before_delete_instance(self, instance, row, **kwargs):
            super().before_delete_instance(instance, row, **kwargs)
            self._mark(returns_of_row(instance), kwargs)

    ChangeMarkingResource.__name__ = resource_class.__name__
    ChangeMarkingResource.__qualname__ = resource_class.__qualname__
    return ChangeMarkingResource


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


class HistoryHelper(HistoricalRecordContextHelper):
    """The admin's history diff with a choice shown by its Chinese label (社区类型: 城市社区 → 集镇社区), not its
    stored key (urban → town)."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if getattr(field, "flatchoices", None) and value not in (None, ""):
            return str(dict(field.flatchoices).get(value, value))
        return super().prepare_delta_change_value(change, value)


class MaskedIdNumbersHistoryHelper(HistoryHelper):
    """The admin's history diff with ID numbers masked."""

    def prepare_delta_change_value(self, change, value):
        if change.field == "id_number" and value:
            return mask_id_number(str(value))
        return super().prepare_delta_change_value(change, value)


class ColumnHeaderExportForm(SelectableFieldsExportForm):
    """The export page's field picker labelled with the sheet's column headers, as the file has them.
    django-import-export labels a field with its attribute name titled in English, then the header:
    "Urban Rural Code (城乡分类代码)"."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return field.column_name if field is not None and field.column_name else field_name


def verbose_headers_resource(model):
    """The resource of a table the workbook has no columns for (django-import-export's default, every field),
    headed by the fields' Chinese names instead of their attribute names ("original_name")."""
    resource = modelresource_factory(model)
    for name, field in resource.fields.items():
        with contextlib.suppress(FieldDoesNotExist):  # a field of the resource's own
            field.column_name = str(model._meta.get_field(name).verbose_name)
    return resource


class ScopedAdmin(WorkbookFilesMixin, ImportExportModelAdmin):
    """Shows only the rows under the user's region; import needs the change permission, export the view one
    (``IMPORT_EXPORT_*_PERMISSION_CODE`` in settings); files are checked and written as the workbook pages do."""

    list_per_page = 50
    export_form_class = ColumnHeaderExportForm

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    # ID numbers are masked for everyone but administrators, so a filter, search or sort on them (which would
    # confirm a guessed number, or recover it digit by digit with __startswith) is refused to the others: Django
    # answers a refused lookup with 400 (DisallowedModelAdminLookup).
    def lookup_allowed(self, lookup, value, request=None):
        if "id_number" in lookup.split(LOOKUP_SEP) and not (request and can_see_id_numbers(request.user)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if can_see_id_numbers(request.user):
            return fields
        return [f for f in fields if "id_number" not in f.lstrip("^=@").split(LOOKUP_SEP)]

    def get_sortable_by(self, request):
        sortable = super().get_sortable_by(request)
        if can_see_id_numbers(request.user):
            return sortable
        return [f for f in sortable if "id_number" not in str(f)]

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # A row outside the user's region is a 404 like everywhere else, not Django's redirect to the index.
        raise Http404(NOT_FOUND_MESSAGE)

    def get_fields(self, request, obj=None):
        # A read-only page (a locked row, or a user who may only view) saves nothing: the hidden version fields
        # of the forms would be shown as read-only lines ("填报版本: -").
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return [name for name in fields if name not in ("return_version", "row_version")]
        return fields

    def get_resource_classes(self, request):
        if self.resource_classes:
            return super().get_resource_classes(request)
        return [verbose_headers_resource(self.model)]

    def get_import_resource_classes(self, request):
        # Every import refuses rows of an approved return (a no-op for tables that hold none, e.g. regions) and
        # gives the returns it changes a new version.
        return [change_marking_resource(locking_resource(cls)) for cls in super().get_import_resource_classes(request)]


class ScopedHistoryAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """django-simple-history's pages, scoped like the rest: a row outside the user's region is a 404 before any
    history row is read (administrators, who see everything, may still open the history of a deleted row).

    A version is shown, never restored: a revert would save an old version over the live row, past the lock, the
    review workflow and the return's version. ``SIMPLE_HISTORY_REVERT_DISABLED`` hides the button; any POST to a
    version is refused here with 405."""

    def _scoped_object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None and not request.user.is_administrator:
            raise Http404(NOT_FOUND_MESSAGE)
        return obj

    def check_version_access(self, request) -> None:
        """Raise PermissionDenied when the user may not open one version (the whole record as it was)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryHelper(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        self._scoped_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._scoped_object_or_404(request, object_id)
        if request.method != "GET":
            return HttpResponseNotAllowed(
                ["GET"], "历史版本只能查看，不能恢复。", content_type="text/plain; charset=utf-8"
            )
        self.check_version_access(request)
        return super().history_form_view(request, object_id, version_id, extra_context)


class LockedRowsAdmin(ScopedHistoryAdmin):
    """Read-only while the row is locked (``access.is_row_locked``); bulk delete refuses locked rows. Every save or
    delete first gives the returns the row belongs to (before and after the change) a new version, in the same
    transaction, so that a return page opened before it is a conflict instead of overwriting it; and a change form
    opened before somebody else's save is a conflict too (``ReturnVersionAdminForm``).

    ``parent_fields`` (what ties a row to its return) are read-only on the change form: a row moved to another
    return would vanish from its return's history page. They are set when the row is added."""

    form = ReturnVersionAdminForm
    parent_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return readonly
        return [*readonly, *(name for name in self.parent_fields if name not in readonly)]

    def has_change_permission(self, request, obj=None):
        if obj is not None and is_row_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A locked row opens read-only ("查看", only 关闭): the page says why, and where the return is.
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and is_row_locked(obj):
                messages.warning(request, locked_notice(obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_row_locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # An add (or a change that moves a row into a locked return) is refused like an edit of a locked row.
        if is_row_locked(obj):
            raise PermissionDenied(LOCKED_MESSAGE)
        # The return first: its row lock orders this write before or after a return page's save, never inside it.
        returns_mark_changed(return_ids=stored_returns_of_row(obj) | returns_of_row(obj), user=request.user)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        returns_mark_changed(return_ids=returns_of_row(obj), user=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if any(is_row_locked(obj) for obj in queryset):
            raise PermissionDenied(LOCKED_MESSAGE)
        with transaction.atomic():
            affected = set().union(*(returns_of_row(obj) for obj in queryset))
            returns_mark_changed(return_ids=affected, user=request.user)
            super().delete_queryset(request, queryset)


class LockedReturnChildAdmin(LockedRowsAdmin):
    """For rows that belong to a yearly return: read-only while the return is approved. ID numbers (workers)
    are shown, exported and diffed in the history masked to everyone but administrators, and their history
    versions are for administrators only (they show the whole record)."""

    list_select_related = ["survey_return__community"]
    parent_fields = ("survey_return",)

    def _hides_id_numbers(self, request) -> bool:
        return hasattr(self.model, "masked_id_number") and not can_see_id_numbers(request.user)

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

    def get_historical_record_context_helper(self, request, historical_record):
        if self._hides_id_numbers(request):
            return MaskedIdNumbersHistoryHelper(self.model, historical_record)
        return super().get_historical_record_context_helper(request, historical_record)

    def check_version_access(self, request) -> None:
        if self._hides_id_numbers(request):
            raise PermissionDenied("历史版本包含完整身份证号，只有管理员可以查看。")

    @staticmethod
    def community_display(obj) -> str:
        return obj.survey_return.community.name

    @staticmethod
    def year_display(obj) -> int:
        return obj.survey_return.year
