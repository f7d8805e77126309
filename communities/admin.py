from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, Permission

from .admin_base import LockedRowsAdmin, RowVersionAdminForm, ScopedAdmin, ScopedHistoryAdmin
from .dashboard.forms import scoped_rule_admin_form, scoped_standard_admin_form
from .models import CodeChange, Community, ImportRecord, Region, Standard, SurveyReturn, User, ValidationRule
from .resources import CodeChangeResource, CommunityResource, RegionResource, StandardResource, SurveyReturnResource
from .returns.services import returns_mark_changed
from .services import user_staff_flags

admin.site.site_header = "社区（Shequ）管理后台"
admin.site.site_title = "社区管理后台"
admin.site.index_title = "数据管理"

PERMISSION_ACTIONS = {"add": "新增", "change": "修改", "delete": "删除", "view": "查看"}


def permission_label(permission: Permission) -> str:
    """A permission as the admin's pickers show it: "社区与年度填报 | 社区 | 可以新增 社区". Django stores the names
    of its four permissions per table in English ("Can add 社区", "Can add historical 社区") when it creates
    them; the label is made from the codename and the table's name instead. A permission of the project's own
    keeps its (Chinese) name."""
    model = permission.content_type.model_class()
    if model is None:  # a table that no longer exists
        return str(permission)
    recorded = getattr(model, "instance_type", None)  # a django-simple-history table: the versions of a table
    table = f"{recorded._meta.verbose_name}（历史版本）" if recorded else str(model._meta.verbose_name)
    action, _, model_name = permission.codename.partition("_")
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        name = f"可以{PERMISSION_ACTIONS[action]} {table}"
    else:
        name = permission.name
    return f"{model._meta.app_config.verbose_name} | {table} | {name}"


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's, with the warning under "使用密码登录" in Chinese (Django 5.2 writes it untranslated)."""

    usable_password_help_text = SetUnusablePasswordMixin.usable_password_help_text + (
        '<ul id="id_unusable_warning" class="messagelist">'
        '<li class="warning">如果禁用，该用户当前的密码将作废。</li></ul>'
    )


class RegionLevelFilter(admin.SimpleListFilter):
    title = "层级"
    parameter_name = "level"
    LENGTHS = {"2": "省级", "4": "地级", "6": "县级", "9": "乡级(街道/乡镇)"}

    def lookups(self, request, model_admin):
        return list(self.LENGTHS.items())

    def queryset(self, request, queryset):
        if self.value() in self.LENGTHS:
            return queryset.filter(code__regex=rf"^[0-9]{{{int(self.value())}}}$")
        return queryset


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    form = RowVersionAdminForm  # two admins editing the same region: the second save is refused
    resource_classes = [RegionResource]
    list_display = ["code", "name", "level_name"]
    search_fields = ["code", "name"]
    list_filter = [RegionLevelFilter]

    @admin.display(description="层级")
    def level_name(self, obj):
        return obj.level_name


@admin.register(Community)
class CommunityAdmin(ScopedHistoryAdmin):
    form = RowVersionAdminForm  # two admins editing the same community: the second save is refused
    resource_classes = [CommunityResource]
    list_display = ["code", "name", "street", "community_type", "urban_rural_code"]
    list_select_related = ["street"]
    search_fields = ["code", "name", "street__name"]
    list_filter = ["community_type", "urban_rural_code"]
    autocomplete_fields = ["street"]


@admin.register(SurveyReturn)
class SurveyReturnAdmin(LockedRowsAdmin):
    """Read-only while approved. The status and the review comment change only through the review pages
    (approve, send back, reopen), which record the reviewer; a save here gives the return a new version."""

    resource_classes = [SurveyReturnResource]
    list_display = ["community", "year", "status", "households", "population", "updated_at", "updated_by"]
    list_select_related = ["community", "updated_by"]
    search_fields = ["community__code", "community__name"]
    list_filter = ["year", "status", "community__community_type"]
    readonly_fields = [
        "status",
        "review_comment",
        "version",
        "updated_at",
        "updated_by",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
    ]
    autocomplete_fields = ["community"]
    parent_fields = ("community", "year")  # a return stays the one of its community and year

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)  # the lock check, the row and its history
        if change:  # after the save, which wrote the version the form was read at
            returns_mark_changed(return_ids=[obj.pk], user=request.user)


@admin.register(Standard)
class StandardAdmin(ScopedHistoryAdmin):
    form = RowVersionAdminForm  # two admins editing the same standard: the second save is refused
    resource_classes = [StandardResource]
    list_display = ["key", "region_code", "year_from", "value", "source", "updated_at"]
    search_fields = ["region_code", "source"]
    list_filter = ["key", "year_from"]

    def get_form(self, request, obj=None, **kwargs):
        # A reviewer sets standards only for their own region or below it (issue 4).
        return scoped_standard_admin_form(super().get_form(request, obj, **kwargs), request.user)

    def has_import_permission(self, request):
        # An imported sheet could name any region: only administrators import standards.
        return request.user.is_administrator and super().has_import_permission(request)


@admin.register(CodeChange)
class CodeChangeAdmin(ScopedHistoryAdmin):
    """区划变更: recorded by administrators (the form, or an import of the 区划变更 sheet); reviewers see and export
    those of their region. What they mean for the figures: ``communities.code_changes``."""

    form = RowVersionAdminForm  # two admins editing the same change: the second save is refused
    resource_classes = [CodeChangeResource]
    list_display = ["old_code", "new_code", "year", "kind", "note"]
    search_fields = ["old_code", "new_code", "note"]
    list_filter = ["year", "kind"]

    def has_import_permission(self, request):
        return request.user.is_administrator and super().has_import_permission(request)


@admin.register(ValidationRule)
class ValidationRuleAdmin(ScopedHistoryAdmin):
    """The validation rules (the rules page, /returns/rules/, is where reviewers usually keep them)."""

    form = RowVersionAdminForm  # two people editing the same rule: the second save is refused
    list_display = ["key", "region_code", "description", "severity", "active", "source", "updated_at"]
    search_fields = ["key", "region_code", "message", "source"]
    list_filter = ["severity", "active", "kind"]
    readonly_fields = ["updated_at", "updated_by"]

    @admin.display(description="规则")
    def description(self, obj):
        return obj.description

    def get_form(self, request, obj=None, **kwargs):
        # A reviewer sets rules only for their own region or below it, like standards.
        return scoped_rule_admin_form(super().get_form(request, obj, **kwargs), request.user)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def has_import_permission(self, request):
        # Rules are set one at a time (here or on the rules page), each checked as a whole.
        return False


@admin.register(ImportRecord)
class ImportRecordAdmin(ScopedAdmin):
    list_display = ["created_at", "original_name", "year", "region_code", "user", "outcome"]
    list_filter = ["outcome", "year"]
    search_fields = ["original_name", "region_code", "user__username"]
    readonly_fields = [f.name for f in ImportRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        # The record of every import is written by the uploads themselves, never by a spreadsheet.
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = PasswordChangeForm
    list_display = ["username", "last_name", "first_name", "role", "region", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name", "region__code", "region__name"]
    autocomplete_fields = ["region"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["last_name", "first_name", "email"]}),
        ("角色与区划", {"fields": ["role", "region", "is_active"]}),
        ("登录记录", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "password1", "password2", "role", "region"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        obj.is_staff, obj.is_superuser = user_staff_flags(obj.role)
        super().save_model(request, obj, form, change)
