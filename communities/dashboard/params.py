"""Reading the unit and the year a dashboard or API request asks for, with the user's region as the limit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from communities.access import can_see_code
from communities.codes import UNIT_CODE_RE
from communities.years import default_survey_year


class BadParameter(ValueError):
    """A query parameter that cannot be used (a year outside 2000–2100, a limit that is not a positive number)."""


def scope_of(user) -> str:
    scope = user.scope_code
    if scope is None:
        raise PermissionDenied("您的账号尚未分配区划，请联系管理员。")
    return scope


def unit_code_for(user, raw: str | None) -> str:
    """The unit asked for (the user's own region when none), or 404 when malformed or outside their region."""
    scope = scope_of(user)
    code = (raw if raw is not None else scope).strip()
    if code and not UNIT_CODE_RE.match(code):
        raise Http404("区划代码格式不正确：应为2、4、6、9或12位数字。")
    if not (code.startswith(scope) and len(code) >= len(scope)) or (code and not can_see_code(user, code)):
        raise Http404("没有找到该区划，或您无权查看。")
    return code


def parse_year(raw: str | None) -> int | None:
    """None when not given; BadParameter when not a year between 2000 and 2100."""
    if raw in (None, ""):
        return None
    try:
        year = int(raw)
    except ValueError:
        raise BadParameter(f"年度“{raw}”不是有效的年份。") from None
    if not 2000 <= year <= 2100:
        raise BadParameter(f"年度 {year} 不在 2000–2100 之间。")
    return year


def approved_only(request) -> bool:
    """?approved=1: the figures of approved returns only (仅统计已审核), what a bureau publishes — the dashboard,
    its downloads, the API and the survey report read it here."""
    return request.GET.get("approved") == "1"


def default_year(scope: str) -> int:
    """The year a dashboard or API request without ?year= shows (``communities.years``)."""
    return default_survey_year(scope)
