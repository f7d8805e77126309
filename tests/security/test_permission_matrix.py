"""Every named URL × {anonymous, clerk of street A, clerk of street B, county reviewer, administrator} × {GET, POST}.

How to add a URL: add one ``Row`` to ``ROWS`` below. ``get`` and ``post`` are five outcomes, in the order of
``ROLES`` (anonymous, clerk_a, clerk_b, reviewer, administrator), one of:

- a status code (``200``, ``302``, ``400``, ``403``, ``404``, ``405``);
- ``login``: a redirect to a login page (the site's, or the admin's for admin pages).

``args`` builds the URL arguments from the ``World`` (community A in street A is the target of every URL that
takes a code; ``status`` puts its 2025 return in that state first). A named URL of the project that has no row
fails ``test_every_named_url_is_in_the_matrix``.

The admin's pages are generated from the admin site's registry: every URL that every registered model's admin
registers (list, add, change, delete, history, one history version, import, export …), with the expected outcome
derived from ``ADMIN_RIGHTS`` (what a reviewer and an administrator may do per model) and ``ADMIN_URL_KINDS``
(which right each kind of URL needs, and what it answers). A model missing from ``ADMIN_RIGHTS``, or a kind of URL
missing from ``ADMIN_URL_KINDS``, fails ``test_every_admin_url_has_an_expectation``. The admin site's own pages
(index, login, password change …) are rows in ``ADMIN_SITE_ROWS``.

POSTs send no form data: they test who gets in, not what a valid form does (the app tests do that). Swapping in
another community's code (street B's, or another county's) is tested for every URL with a code below the matrix,
and another county's object id for every admin URL that takes one: 404 or 403, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from communities.models import CodeChange, Community, Region, ReturnStatus, Standard, SurveyReturn, ValidationRule
from facilities.models import Premises
from funding.models import Allocation
from services.models import ServiceProgram
from tests.communities.factories import CommunityFactory, RegionFactory, SurveyReturnFactory
from tests.returns.conftest import fill
from workforce.models import Worker

ROLES = ("anonymous", "clerk_a", "clerk_b", "reviewer", "administrator")
YEAR = 2025


@dataclass
class World:
    """Community A (street A), B (street B) and C (another county), each with a filled 2025 return."""

    a: SurveyReturn
    b: SurveyReturn
    c: SurveyReturn


@dataclass(frozen=True)
class Row:
    name: str
    get: str
    post: str
    args: Callable[[World], dict] | None = None
    status: str = ReturnStatus.DRAFT

    def outcomes(self, method: str) -> dict[str, str]:
        values = (self.get if method == "GET" else self.post).split()
        assert len(values) == len(ROLES), f"{self.name}: five outcomes expected for {method}"
        return dict(zip(ROLES, values, strict=True))


def a_return(world: World) -> dict:
    return {"code": world.a.community_id, "year": YEAR}


def a_next_year(world: World) -> dict:
    return {"code": world.a.community_id, "year": YEAR + 1}


def a_street(world: World) -> dict:
    return {"code": world.a.community.street_id, "year": YEAR}


def a_street_code(world: World) -> dict:
    return {"code": world.a.community.street_id}


def a_period(world: World) -> dict:
    """The 2025 reporting period of community A's county, open for another month."""
    from datetime import date, timedelta

    from django.utils import timezone

    from communities.models import ReportingPeriod

    period, _ = ReportingPeriod.objects.get_or_create(
        region_code=world.a.community_id[:6],
        year=YEAR,
        defaults={"opens_on": date(2026, 1, 1), "due_on": timezone.localdate() + timedelta(days=30)},
    )
    return {"pk": period.pk}


def a_rule_row(code: str):
    from communities.models import ValidationRule

    rule, _ = ValidationRule.objects.get_or_create(
        region_code=code,
        key="volunteers_within_population",
        defaults={"left": "volunteers", "operator": "le", "right_figure": "population", "message": "志愿者多于人口"},
    )
    return rule


def a_rule(world: World) -> dict:
    """A validation rule of community A's county (issue 13)."""
    return {"pk": a_rule_row(world.a.community_id[:6]).pk}


def a_community_link(world: World) -> dict:
    return {"content_type_id": ContentType.objects.get_for_model(Community).pk, "object_id": world.a.community_id}


def survey_app(world: World) -> dict:
    return {"app_label": "workforce"}


def axes_app(world: World) -> dict:
    """The login-throttling tables: administrators only."""
    return {"app_label": "axes"}


def an_import_record(survey_return: SurveyReturn, username: str):
    """A previewed upload of the street of this return; confirming it finds the file changed."""
    from django.core.files.base import ContentFile

    from communities.models import ImportOutcome, ImportRecord, User
    from tests.workbook.builders import basics, survey

    record = ImportRecord(
        original_name="调查表.xlsx",
        sha256="0" * 64,
        user=User.objects.get(username=username),
        year=YEAR,
        region_code=survey_return.community.street_id,
        outcome=ImportOutcome.PREVIEWED,
    )
    # A readable workbook (non-administrators download a copy with the ID numbers masked) that differs from any
    # preview's file, so confirming it finds the file changed.
    data = survey(communities=[basics(survey_return.community_id)], workers=[], rooms=[], funds=[], programs=[])
    record.file.save("调查表.xlsx", ContentFile(data), save=True)
    return record


def an_import(world: World) -> dict:
    """A previewed upload of clerk A (street A); confirming it finds the file changed and asks for a new preview."""
    return {"pk": an_import_record(world.a, "clerk_a").pk}


def a_previewed_workbook(world: World) -> dict:
    """A real preview of clerk A: a workbook of community A (its error and change lists can be downloaded)."""
    from communities.models import User
    from communities.workbook.services import workbook_import
    from tests.workbook.builders import basics, survey

    data = survey(
        communities=[basics(world.a.community_id, world.a.community.name)], workers=[], rooms=[], funds=[], programs=[]
    )
    clerk = User.objects.get(username="clerk_a")
    result = workbook_import(file=data, year=YEAR, user=clerk, dry_run=True, name="调查表.xlsx")
    assert result.ok, result.errors
    return {"pk": result.record.pk}


# fmt: off
ROWS = [
    #   name                      GET: anon clerk_a clerk_b reviewer admin     POST: same order
    Row("home",                    "login 302 302 302 302",                     "login 302 302 302 302"),
    Row("login",                   "200 302 302 302 302",                       "200 302 302 302 302"),
    Row("logout",                  "405 405 405 405 405",                       "302 302 302 302 302"),
    # returns: (issue 5)
    Row("returns:workspace",       "login 200 200 200 200",                     "login 405 405 405 405"),
    Row("returns:queue",           "login 403 403 200 200",                     "login 405 405 405 405"),
    Row("returns:detail",          "login 200 404 200 200",                     "login 405 405 405 405", a_return),
    Row("returns:start",           "login 405 405 405 405",                     "login 302 404 403 302", a_next_year),
    Row("returns:edit",            "login 200 404 200 200",                     "login 400 404 400 400", a_return),
    Row("returns:submit",          "login 405 405 405 405",                     "login 302 404 302 302", a_return),
    Row("returns:approve",         "login 405 405 405 405",                     "login 403 404 302 302", a_return,
        status=ReturnStatus.SUBMITTED),
    Row("returns:send_back",       "login 405 405 405 405",                     "login 403 404 302 302", a_return,
        status=ReturnStatus.SUBMITTED),
    Row("returns:reopen",          "login 405 405 405 405",                     "login 403 404 302 302", a_return,
        status=ReturnStatus.APPROVED),
    Row("returns:withdraw",        "login 405 405 405 405",                     "login 302 404 403 403", a_return,
        status=ReturnStatus.SUBMITTED),
    Row("returns:history",         "login 200 404 200 200",                     "login 405 405 405 405", a_return),
    # comments on a figure or a row (issue 13): an empty one is refused with a message on the return page
    Row("returns:comment",         "login 405 405 405 405",                     "login 302 404 302 302", a_return),
    # workbook: (issue 3)
    Row("workbook:index",          "login 200 200 200 200",                     "login 405 405 405 405"),
    Row("workbook:template",       "login 200 200 200 200",                     "login 405 405 405 405"),
    Row("workbook:export",         "login 200 200 200 200",                     "login 405 405 405 405"),
    Row("workbook:upload",         "login 405 405 405 405",                     "login 400 400 400 400"),
    Row("workbook:history",        "login 200 200 200 200",                     "login 405 405 405 405"),
    Row("workbook:detail",         "login 200 404 200 200",                     "login 405 405 405 405", an_import),
    Row("workbook:confirm",        "login 405 405 405 405",                     "login 302 404 403 403", an_import),
    Row("workbook:download",       "login 200 404 200 200",                     "login 405 405 405 405", an_import),
    Row("workbook:errors",         "login 200 404 200 200",                     "login 405 405 405 405",
        a_previewed_workbook),
    # the reporting cycle (issue 12): periods, progress, reminders, bulk actions
    Row("returns:submit_many",     "login 405 405 405 405",                     "login 302 302 302 302"),
    Row("returns:approve_many",    "login 405 405 405 405",                     "login 403 403 302 302"),
    Row("returns:periods",         "login 403 403 200 200",                     "login 403 403 200 200"),
    Row("returns:period_extend",   "login 405 405 405 405",                     "login 403 403 302 302", a_period),
    Row("returns:period_close",    "login 405 405 405 405",                     "login 403 403 302 302", a_period),
    Row("returns:progress",        "login 403 403 200 200",                     "login 405 405 405 405"),
    Row("returns:progress_download", "login 403 403 200 200",                   "login 405 405 405 405"),
    Row("returns:remind",          "login 405 405 405 405",                     "login 403 403 302 302"),
    Row("workbook:changes",        "login 200 404 200 200",                     "login 405 405 405 405",
        a_previewed_workbook),
    # data quality (issue 13): the validation rules page
    Row("returns:rules",           "login 403 403 200 200",                     "login 405 405 405 405"),
    Row("returns:followup",        "login 403 403 200 200",                     "login 405 405 405 405"),
    Row("returns:followup_mark",   "login 405 405 405 405",                     "login 403 403 404 404"),
    Row("returns:followup_download", "login 403 403 200 200",                   "login 405 405 405 405"),
    Row("returns:rule_new",        "login 403 403 200 200",                     "login 403 403 400 400"),
    Row("returns:rule_edit",       "login 403 403 200 200",                     "login 403 403 400 400", a_rule),
    Row("returns:rule_delete",     "login 405 405 405 405",                     "login 403 403 302 302", a_rule),
    # dashboard: and api: (issue 4)
    Row("dashboard:index",         "login 200 200 200 200",                     "login 405 405 405 405"),
    Row("dashboard:region",        "login 200 404 200 200",                     "login 405 405 405 405", a_street_code),
    Row("dashboard:download",      "login 200 200 200 200",                     "login 405 405 405 405"),
    Row("dashboard:standards",     "login 200 200 200 200",                     "login 403 403 200 200"),
    Row("api:index",               "401 200 200 200 200",                       "405 405 405 405 405"),
    Row("api:indicators",          "401 200 200 200 200",                       "405 405 405 405 405"),
    Row("api:standards",           "401 200 200 200 200",                       "405 405 405 405 405"),
    # report: (issue 6)
    Row("report:page",             "login 200 404 200 200",                     "login 405 405 405 405", a_street),
    Row("report:docx",             "login 200 404 200 200",                     "login 405 405 405 405", a_street),
]

# The admin site's own pages; the models' pages are generated below. Clerks are not staff.
ADMIN_SITE_ROWS = [
    Row("admin:index",                 "login login login 200 200",      "login login login 200 200"),
    Row("admin:login",                 "200 200 200 302 302",            "200 200 200 200 200"),
    Row("admin:logout",                "302 302 302 405 405",            "302 302 302 302 302"),
    Row("admin:password_change",       "login login login 200 200",      "login login login 200 200"),
    Row("admin:password_change_done",  "login login login 200 200",      "login login login 405 405"),
    Row("admin:autocomplete",          "login login login 403 403",      "login login login 405 405"),
    Row("admin:jsi18n",                "login login login 200 200",      "login login login 405 405"),
    Row("admin:view_on_site",          "login login login 404 404",      "login login login 404 404", a_community_link),
    Row("admin:app_list",              "login login login 200 200",      "login login login 200 200", survey_app),
    Row("admin:app_list",              "login login login 404 200",      "login login login 404 200", axes_app),
]
# fmt: on

MATRIX = ROWS + ADMIN_SITE_ROWS


def _named_urls(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_named_url_is_in_the_matrix():
    named = set(_named_urls(get_resolver().url_patterns))
    listed = {row.name for row in MATRIX} | {f"admin:{name}" for _, name, _ in admin_model_urls()}
    assert named - listed == set(), "named URLs missing from the permission matrix"
    assert listed - named == set(), "rows for URLs that no longer exist"


@pytest.fixture
def world(street_a, street_b):
    other_county = RegionFactory(code="420627001", name="另一县的街道")
    a = fill(SurveyReturnFactory(community=CommunityFactory(street=street_a), year=YEAR))
    b = fill(SurveyReturnFactory(community=CommunityFactory(street=street_b), year=YEAR))
    c = fill(SurveyReturnFactory(community=CommunityFactory(street=other_county), year=YEAR))
    return World(a=a, b=b, c=c)


def _sign_in(client, request, role: str):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def _matches(response, expected: str) -> bool:
    """``login``: a redirect to a login page; otherwise the status code."""
    if expected == "login":
        return response.status_code == 302 and "login" in response["Location"]
    return response.status_code == int(expected)


def _check(response, expected: str, label: str):
    assert _matches(response, expected), f"{label}: {response.status_code}, expected {expected}"


CASES = [(row, role, method) for row in MATRIX for method in ("GET", "POST") for role in ROLES]


@pytest.mark.parametrize(
    ("row", "role", "method"), CASES, ids=[f"{row.name}-{role}-{method}" for row, role, method in CASES]
)
def test_permission_matrix(client, request, world, row, role, method):
    SurveyReturn.objects.filter(pk=world.a.pk).update(status=row.status)
    # The roles' users exist whoever signs in, so that "other region" never means "no such user".
    for name in ROLES[1:]:
        request.getfixturevalue(name)
    _sign_in(client, request, role)
    url = reverse(row.name, kwargs=row.args(world) if row.args else None)
    response = client.get(url) if method == "GET" else client.post(url)
    _check(response, row.outcomes(method)[role], f"{method} {url} as {role}")


# ----- swapping in another community's code ---------------------------------------------------------------------


def snapshot():
    """What a request must not change: every return's state and every row of survey data."""
    return (
        list(SurveyReturn.objects.order_by("pk").values_list("pk", "status", "version", "households")),
        list(Worker.objects.order_by("pk").values_list("pk", "name", "monthly_pay")),
        list(Premises.objects.order_by("pk").values_list("pk", "name", "area")),
        list(Allocation.objects.order_by("pk").values_list("pk", "unit_code", "budget")),
        list(ServiceProgram.objects.order_by("pk").values_list("pk", "name")),
    )


CODE_ROWS = [row for row in ROWS if row.args in (a_return, a_next_year, a_street, a_street_code)]
SWAPS = [
    ("clerk_a", "b"),  # the other street of the same county
    ("clerk_b", "a"),
    ("clerk_a", "c"),  # another county
    ("reviewer", "c"),
]


@pytest.mark.parametrize("row", CODE_ROWS, ids=[row.name for row in CODE_ROWS])
@pytest.mark.parametrize(("role", "target"), SWAPS, ids=[f"{r}->{t}" for r, t in SWAPS])
@pytest.mark.parametrize("status", [ReturnStatus.DRAFT, ReturnStatus.SUBMITTED, ReturnStatus.APPROVED])
def test_another_communitys_code_is_refused_and_changes_nothing(client, request, world, row, role, target, status):
    survey_return = getattr(world, target)
    SurveyReturn.objects.filter(pk=survey_return.pk).update(status=status)
    _sign_in(client, request, role)
    kwargs = row.args(World(a=survey_return, b=world.b, c=world.c))
    before = snapshot()
    url = reverse(row.name, kwargs=kwargs)
    data = {"households": "1", "version": str(survey_return.version), "comment": "换代码"}
    for response in (client.get(url), client.post(url, data)):
        assert response.status_code in (403, 404, 405), f"{url} as {role}: {response.status_code}"
    assert snapshot() == before


REGION_PARAM_URLS = ["api:indicators", "api:standards", "dashboard:download"]


@pytest.mark.parametrize("name", REGION_PARAM_URLS)
@pytest.mark.parametrize(("role", "target"), SWAPS, ids=[f"{r}->{t}" for r, t in SWAPS])
def test_another_region_in_the_query_string_is_refused(client, request, world, name, role, target):
    _sign_in(client, request, role)
    other = getattr(world, target).community
    for code in (other.code, other.street_id):
        response = client.get(reverse(name), {"region": code, "year": YEAR})
        assert response.status_code in (403, 404), f"{name}?region={code} as {role}: {response.status_code}"


# ----- the admin, generated from its registry --------------------------------------------------------------------

# What a county reviewer and an administrator may do with each registered model's rows of their region in the
# admin. Clerks are not staff: every admin page sends them, like anonymous users, to the admin's login.
# v view (list, read-only form, history), a add, c change, d delete, h open one history version, i import, e export;
# C change where every field is read-only (an empty POST is a valid form: saved as it was, a redirect).
# fmt: off
ADMIN_RIGHTS = {
    # model                       reviewer         administrator
    "auth.group":                 ("",             "v a c d"),
    "axes.accessattempt":         ("",             "v C d"),
    "axes.accessfailurelog":      ("",             "v C d"),
    "axes.accesslog":             ("",             "v C d"),
    "communities.region":         ("v e",          "v a c d i e"),
    "communities.community":      ("v h e",        "v a c d h i e"),
    "communities.surveyreturn":   ("v h e",        "v a c d h i e"),
    # reviewers set their region's standards (issue 4); an imported sheet may name any region: administrators only
    "communities.standard":       ("v a c d h e",  "v a c d h i e"),
    # 区划变更: recorded (and imported) by administrators; a reviewer sees those of the region
    "communities.codechange":     ("v h e",        "v a c d h i e"),
    # reviewers set their region's validation rules (issue 13); set one at a time, never imported
    "communities.validationrule": ("v a c d h e",  "v a c d h e"),
    # written by workbook uploads, never edited or imported: the record of every import
    "communities.importrecord":   ("v e",          "v d e"),
    "communities.user":           ("",             "v a c d"),
    # a version shows the whole ID number: administrators only
    "workforce.worker":           ("v e",          "v a c d h i e"),
    "facilities.premises":        ("v h e",        "v a c d h i e"),
    "funding.allocation":         ("v h e",        "v a c d h i e"),
    "services.serviceprogram":    ("v h e",        "v a c d h i e"),
}

# Each kind of URL a model's admin registers: the right a GET and a POST need ("" none) and what each answers when
# allowed (403 without the right). The POSTs are empty: no action chosen (the list again), an empty form (its
# errors), not the delete confirmation (the question again), an invalid import or export form.
ADMIN_URL_KINDS = {
    #  kind                        GET   POST  GET  POST
    "changelist":                 ("v", "v",  200, 200),
    "add":                        ("a", "a",  200, 200),
    "change":                     ("v", "c",  200, 200),
    "delete":                     ("d", "d",  200, 200),
    "history":                    ("v", "v",  200, 200),
    "simple_history":             ("h", "",   200, 405),  # one version: shown, never restored
    "import":                     ("i", "i",  200, 200),
    "process_import":             ("",  "i",  405, 200),
    "export":                     ("e", "e",  200, 200),
    "auth_user_password_change":  ("c", "c",  200, 200),
}
# fmt: on
OBJECT_KINDS = {"change", "delete", "history", "simple_history", "auth_user_password_change"}


def admin_model_urls():
    """(model label, URL name, kind) for every named URL that the admin of every registered model registers."""
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.get_urls():
            if pattern.name:
                yield model._meta.label_lower, pattern.name, pattern.name.removeprefix(prefix)


def admin_expected(label: str, kind: str, method: str, role: str) -> str:
    if role not in ("reviewer", "administrator"):
        return "login"
    rights = set(ADMIN_RIGHTS[label][0 if role == "reviewer" else 1].split())
    if "C" in rights:
        if (kind, method) == ("change", "POST"):
            return "302"
        rights.add("c")
    get_right, post_right, get_status, post_status = ADMIN_URL_KINDS[kind]
    right, status = (get_right, get_status) if method == "GET" else (post_right, post_status)
    return str(status) if not right or right in rights else "403"


def admin_url_args(kind: str, obj) -> list:
    if kind not in OBJECT_KINDS:
        return []
    if kind == "simple_history":
        return [obj.pk, obj.history.latest().history_id]
    return [obj.pk]


def test_every_admin_url_has_an_expectation():
    urls = list(admin_model_urls())
    assert {label for label, _, _ in urls} == set(ADMIN_RIGHTS), "registered models and ADMIN_RIGHTS differ"
    unknown = {f"admin:{name}" for _, name, kind in urls if kind not in ADMIN_URL_KINDS}
    assert unknown == set(), "admin URLs of a kind with no expectation in ADMIN_URL_KINDS"


@pytest.fixture
def admin_world(world, clerk_a, clerk_b, reviewer, administrator):
    """For each registered model, a row of county A's region (and one of county C where rows have a region)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from tests.communities.factories import UserFactory

    clerk_c = UserFactory(username="clerk_c", region=world.c.community.street)
    attempt = {"user_agent": "pytest", "ip_address": "127.0.0.1", "username": "clerk_a", "http_accept": "*/*"}
    standard = {"key": "facility_min_area", "year_from": YEAR, "value": 300, "source": "县文件"}
    return {
        "auth.group": (Group.objects.create(name="旧分组"), None),
        "axes.accessattempt": (
            AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **attempt),
            None,
        ),
        "axes.accessfailurelog": (AccessFailureLog.objects.create(**attempt), None),
        "axes.accesslog": (AccessLog.objects.create(**attempt), None),
        "communities.region": (world.a.community.street, world.c.community.street),
        "communities.community": (world.a.community, world.c.community),
        "communities.surveyreturn": (world.a, world.c),
        "communities.standard": (
            Standard.objects.create(region_code=world.a.community_id[:6], **standard),
            Standard.objects.create(region_code=world.c.community_id[:6], **standard),
        ),
        "communities.codechange": (
            CodeChange.objects.create(
                old_code=world.a.community_id, new_code=world.a.community_id[:9] + "099", year=YEAR + 1, kind="merge"
            ),
            CodeChange.objects.create(
                old_code=world.c.community_id, new_code=world.c.community_id[:9] + "099", year=YEAR + 1, kind="merge"
            ),
        ),
        "communities.validationrule": (a_rule_row(world.a.community_id[:6]), a_rule_row(world.c.community_id[:6])),
        "communities.importrecord": (an_import_record(world.a, "clerk_a"), an_import_record(world.c, clerk_c.username)),
        "communities.user": (clerk_a, None),
        "workforce.worker": (world.a.workers.first(), world.c.workers.first()),
        "facilities.premises": (world.a.premises.first(), world.c.premises.first()),
        "funding.allocation": (
            Allocation.objects.get(unit_code=world.a.community_id),
            Allocation.objects.get(unit_code=world.c.community_id),
        ),
        "services.serviceprogram": (world.a.programs.first(), world.c.programs.first()),
    }


ADMIN_CASES = [(label, role) for label in ADMIN_RIGHTS for role in ROLES]


@pytest.mark.parametrize(("label", "role"), ADMIN_CASES, ids=[f"{label}-{role}" for label, role in ADMIN_CASES])
def test_admin_permission_matrix(client, request, admin_world, label, role):
    """Every URL of the model's admin, GET and POST, on a row of county A; all mismatches listed at once."""
    _sign_in(client, request, role)
    own, _ = admin_world[label]
    urls = sorted((kind == "delete", name, kind) for lbl, name, kind in admin_model_urls() if lbl == label)
    mismatches = []
    for _, name, kind in urls:  # delete last
        url = reverse(f"admin:{name}", args=admin_url_args(kind, own))
        for method in ("GET", "POST"):
            response = client.get(url) if method == "GET" else client.post(url)
            expected = admin_expected(label, kind, method, role)
            if not _matches(response, expected):
                mismatches.append(f"{method} {url} as {role}: {response.status_code}, expected {expected}")
    assert mismatches == []


def admin_snapshot():
    """``snapshot`` and the other tables a reviewer sees in the admin."""
    return (
        snapshot(),
        list(Region.objects.order_by("code").values_list("code", "name")),
        list(Community.objects.order_by("code").values_list("code", "name", "street_id")),
        list(Standard.objects.order_by("pk").values_list("pk", "region_code", "value")),
        list(ValidationRule.objects.order_by("pk").values_list("pk", "region_code", "message", "active")),
    )


REGIONAL_OBJECT_URLS = [
    (label, name, kind)
    for label, name, kind in admin_model_urls()
    if kind in OBJECT_KINDS and label in ADMIN_RIGHTS and "v" in ADMIN_RIGHTS[label][0]
]
# What a reviewer might post to another county's row: a form's fields, a delete confirmation, a revert.
SWAP_POST = {"post": "yes", "households": "1", "name": "换代码", "budget": "1", "value": "1", "status": "draft"}


@pytest.mark.parametrize(("label", "name", "kind"), REGIONAL_OBJECT_URLS, ids=[n for _, n, _ in REGIONAL_OBJECT_URLS])
def test_another_countys_object_id_in_the_admin_is_refused_and_changes_nothing(
    client, reviewer, admin_world, label, name, kind
):
    _, other = admin_world[label]
    client.force_login(reviewer)
    before = admin_snapshot()
    url = reverse(f"admin:{name}", args=admin_url_args(kind, other))
    for response in (client.get(url), client.post(url, SWAP_POST)):
        assert response.status_code in (403, 404), f"{url}: {response.status_code}"
    assert admin_snapshot() == before
