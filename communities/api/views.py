"""JSON for signed-in users, scoped to their region: the same objects the management commands print.

Errors are JSON too, with a Chinese message: 401 not signed in, 403 no region, 404 outside the region or unknown code,
400 bad year, 405 wrong method.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from communities.dashboard.params import BadParameter, approved_only, default_year, parse_year, scope_of, unit_code_for
from communities.dashboard.selectors import unit_exists, unit_name
from communities.indicator_engine import compute_indicators
from communities.standards import standards_for

JSON_PARAMS = {"ensure_ascii": False}


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params=JSON_PARAMS)


def api_view(view):
    """Signed-in users only (401 otherwise), and every refusal as a JSON error rather than an HTML page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _error("请先登录。", 401)
        try:
            return view(request, *args, **kwargs)
        except Http404 as error:
            return _error(str(error) or "没有找到。", 404)
        except PermissionDenied as error:
            return _error(str(error) or "无权访问。", 403)
        except BadParameter as error:
            return _error(str(error), 400)

    return wrapper


def _limit(request) -> int | None:
    raw = request.GET.get("limit")
    if raw in (None, ""):
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise BadParameter(f"limit“{raw}”应为正整数。")
    return int(raw)


def _region_and_year(request) -> tuple[str, int]:
    """The unit asked for and the year; 404 for a well-formed code of no region or community (checked with one
    query before anything is computed; the user's own region needs no check)."""
    code = unit_code_for(request.user, request.GET.get("region"))
    scope = scope_of(request.user)
    if code != scope and not unit_exists(code):
        raise Http404("没有找到该区划，或您无权查看。")
    year = parse_year(request.GET.get("year"))
    return code, year if year is not None else default_year(scope)


ENDPOINTS = [
    {
        "path": "/api/indicators/",
        "name": "指标",
        "description": (
            "某区划（或社区）某年度的全部指标，与 manage.py indicators --json 相同，另在顶层给出 year 和 region。"
        ),
        "parameters": {
            "year": "年度，默认为有填报的最新年度",
            "region": "区划或社区代码，默认为本人所属区划",
            "limit": "每个未达标名单只保留最差的 N 个（可选）",
        },
    },
    {
        "path": "/api/standards/",
        "name": "标准",
        "description": "某区划某年度适用的各项标准，与 manage.py standards --json 相同。",
        "parameters": {"year": "年度，默认为有填报的最新年度", "region": "区划或社区代码，默认为本人所属区划"},
    },
]


@require_GET
@api_view
def index(request):
    """GET /api/ — the endpoints and their parameters, in Chinese."""
    return JsonResponse({"endpoints": ENDPOINTS}, json_dumps_params=JSON_PARAMS)


def _region_of(code: str) -> dict[str, str]:
    return {"code": code, "name": unit_name(code)}


@require_GET
@api_view
def indicators(request):
    """GET /api/indicators/?year=Y&region=CODE[&limit=N][&approved=1] — the object of ``manage.py indicators --json
    [--limit N]`` (see communities/indicator_engine.py) with the year, the region ({code, name}) and whether only
    approved returns count at the top level, so that an answer without parameters says what it is; region defaults
    to the user's own, year to the default survey year, every shortfall list is complete unless ``limit`` keeps only
    the N worst of each, and ``approved=1`` counts approved returns only (仅统计已审核)."""
    code, year = _region_and_year(request)
    approved = approved_only(request)
    indicators = compute_indicators(
        region_code=code, year=year, shortfall_limit=_limit(request), approved_only=approved
    )
    body = {"year": year, "region": _region_of(code), "approved_only": approved, **indicators}
    return JsonResponse(body, json_dumps_params=JSON_PARAMS)


@require_GET
@api_view
def standards(request):
    """GET /api/standards/?year=Y&region=CODE — the object of ``manage.py standards --json``."""
    code, year = _region_and_year(request)
    return JsonResponse(standards_for(region_code=code, year=year).as_dict(), json_dumps_params=JSON_PARAMS)
