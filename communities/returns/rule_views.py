"""The validation rules page: the rules in force for the reviewer's region (inherited or its own), and setting the
region's own — a new rule, a change of one, a national rule replaced or switched off here (same key), a rule of
its own removed (the one above applies again)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.dashboard.params import unit_code_for
from communities.dashboard.selectors import unit_name
from communities.models import ValidationRule
from communities.validation import may_set_rules, rule_save, rules_for

from .rule_forms import ValidationRuleForm

COPIED_FIELDS = [f for f in ValidationRuleForm.Meta.fields if f != "key"]


def _may_view(request) -> None:
    if not request.user.has_perm("communities.view_validationrule"):
        raise PermissionDenied("只有审核员和管理员可以查看校验规则。")


def _rules_url(code: str) -> str:
    return reverse("returns:rules") + (f"?region={code}" if code else "")


@login_required
@require_GET
def rules_page(request):
    _may_view(request)
    code = unit_code_for(request.user, request.GET.get("region"))
    listing = rules_for(region_code=code).listing(code)
    return render(
        request,
        "returns/rules.html",
        {
            "code": code,
            "name": unit_name(code),
            "listing": listing,
            "may_change": may_set_rules(request.user, code),
        },
    )


def _own_rule(request, pk: int) -> ValidationRule:
    """A rule the user may change: one set for their region or below it (404 outside it)."""
    rule = get_object_or_404(ValidationRule.objects.for_user(request.user), pk=pk)
    if not may_set_rules(request.user, rule.region_code):
        raise PermissionDenied("您只能修改本区划及下级区划的校验规则。")
    return rule


def _save(request, form, code: str, done: str):
    if form.is_valid():
        try:
            rule_save(rule=form.save(commit=False), user=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, done)
            return redirect(_rules_url(code))
    return None


def _render_form(request, form, code: str, heading: str, status: int = 200):
    return render(
        request,
        "returns/rule_form.html",
        {"form": form, "code": code, "name": unit_name(code), "heading": heading},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_new(request):
    """A rule of the region's own: new, or (``?copy=<id>``) replacing an inherited one with the same key."""
    _may_view(request)
    code = unit_code_for(request.user, request.GET.get("region") or request.POST.get("region"))
    if not may_set_rules(request.user, code):
        raise PermissionDenied("您只能设置本区划及下级区划的校验规则。")
    initial = {}
    copied = request.GET.get("copy") or request.POST.get("copy")
    if copied:
        try:
            source = next(rule for rule, _own in rules_for(region_code=code).listing(code) if rule.pk == int(copied))
        except (StopIteration, ValueError):
            raise Http404("没有找到要替换的规则。") from None
        initial = {name: getattr(source, name) for name in ["key", *COPIED_FIELDS]}
    form = ValidationRuleForm(request.POST or None, initial=initial, region_code=code)
    if request.method == "POST":
        response = _save(request, form, code, f"已为{unit_name(code)}设置校验规则“{request.POST.get('key', '')}”。")
        if response:
            return response
        return _render_form(request, form, code, "新增校验规则", status=400)
    return _render_form(request, form, code, "替换上级规则" if copied else "新增校验规则")


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk: int):
    _may_view(request)
    rule = _own_rule(request, pk)
    form = ValidationRuleForm(request.POST or None, instance=rule, region_code=rule.region_code)
    if request.method == "POST":
        response = _save(request, form, rule.region_code, f"已修改校验规则“{rule.key}”。")
        if response:
            return response
        return _render_form(request, form, rule.region_code, "修改校验规则", status=400)
    return _render_form(request, form, rule.region_code, "修改校验规则")


@login_required
@require_POST
def rule_delete(request, pk: int):
    """Remove a rule of the region's own: the rule of the same key above it (if any) applies again."""
    _may_view(request)
    rule = _own_rule(request, pk)
    if rule.region_code == "" and not request.user.sees_everything:
        raise PermissionDenied("全国规则只有管理员可以删除。")
    rule._history_user = request.user
    rule.delete()
    messages.success(request, f"已删除校验规则“{rule.key}”；如上级区划有同一编号的规则，本区划重新沿用上级规则。")
    return redirect(_rules_url(rule.region_code))
