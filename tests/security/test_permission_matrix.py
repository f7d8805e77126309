"""Every named URL × {anonymous, clerk of street A, clerk of street B, county reviewer, administrator} × {GET, POST}.

How to add a URL: add one ``Row`` to ``ROWS`` below. ``get`` and ``post`` are five outcomes, in the order of
``ROLES`` (anonymous, clerk_a, clerk_b, reviewer, administrator), one of:

- a status code (``200``, ``302``, ``400``, ``403``, ``404``, ``405``);
- ``login``: a redirect to a login page (the site's, or the admin's for admin pages).

``args`` builds the URL arguments from the ``World`` (community A in street A is the target of every URL that
takes a code; ``status`` puts its 2025 return in that state first). A named URL of the project that has no row
fails ``test_every_named_url_is_in_the_matrix``; ``ADMIN_SAMPLE`` lists the admin pages checked.

POSTs send no form data: they test who gets in, not what a valid form does (the app tests do that). Swapping in
another community's code (street B's, or another county's) is tested for every URL with a code below the matrix:
404 or 403, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from communities.models import ReturnStatus, SurveyReturn
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


def a_worker(world: World) -> dict:
    return {"object_id": world.a.workers.first().pk}


def a_allocation(world: World) -> dict:
    return {"object_id": Allocation.objects.filter(unit_code=world.a.community_id).first().pk}


def an_import(world: World) -> dict:
    """A previewed upload of clerk A (street A); confirming it finds the file changed and asks for a new preview."""
    from django.core.files.base import ContentFile

    from communities.models import ImportOutcome, ImportRecord, User

    record = ImportRecord(
        original_name="调查表.xlsx",
        sha256="0" * 64,
        user=User.objects.get(username="clerk_a"),
        year=YEAR,
        region_code=world.a.community.street_id,
        outcome=ImportOutcome.PREVIEWED,
    )
    record.file.save("调查表.xlsx", ContentFile(b"PK"), save=True)
    return {"pk": record.pk}


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
    Row("returns:history",         "login 200 404 200 200",                     "login 405 405 405 405", a_return),
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
    Row("workbook:changes",        "login 200 404 200 200",                     "login 405 405 405 405",
        a_previewed_workbook),
    # dashboard: and api: (issue 4)
    Row("dashboard:index",         "login 200 200 200 200",                     "login 405 405 405 405"),
    Row("dashboard:region",        "login 200 404 200 200",                     "login 405 405 405 405", a_street_code),
    Row("dashboard:download",      "login 200 200 200 200",                     "login 405 405 405 405"),
    Row("dashboard:standards",     "login 200 200 200 200",                     "login 403 403 200 200"),
    Row("api:indicators",          "401 200 200 200 200",                       "405 405 405 405 405"),
    Row("api:standards",           "401 200 200 200 200",                       "405 405 405 405 405"),
    # report: (issue 6)
    Row("report:page",             "login 200 404 200 200",                     "login 405 405 405 405", a_street),
    Row("report:docx",             "login 200 404 200 200",                     "login 405 405 405 405", a_street),
]

# A sample of the admin: clerks are not staff; reviewers see (not change) survey data of their county.
ADMIN_SAMPLE = [
    Row("admin:index",                         "login login login 200 200",      "login login login 200 200"),
    Row("admin:workforce_worker_changelist",   "login login login 200 200",      "login login login 200 200"),
    Row("admin:workforce_worker_change",       "login login login 200 200",      "login login login 403 200",
        a_worker),
    Row("admin:funding_allocation_change",     "login login login 200 200",      "login login login 403 200",
        a_allocation),
    Row("admin:funding_allocation_add",        "login login login 403 200",      "login login login 403 200"),
    Row("admin:communities_surveyreturn_changelist", "login login login 200 200", "login login login 200 200"),
    Row("admin:communities_user_changelist",   "login login login 403 200",      "login login login 403 200"),
]
# fmt: on

MATRIX = ROWS + ADMIN_SAMPLE


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
    named = {name for name in _named_urls(get_resolver().url_patterns) if not name.startswith("admin:")}
    listed = {row.name for row in ROWS}
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


def _check(response, expected: str, label: str):
    if expected == "login":
        assert response.status_code == 302, f"{label}: {response.status_code}"
        assert "login" in response["Location"], f"{label}: redirected to {response['Location']}"
    else:
        assert response.status_code == int(expected), f"{label}: {response.status_code}, expected {expected}"


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


ADMIN_OBJECT_ROWS = [row for row in ADMIN_SAMPLE if row.args in (a_worker, a_allocation)]


@pytest.mark.parametrize("row", ADMIN_OBJECT_ROWS, ids=[row.name for row in ADMIN_OBJECT_ROWS])
def test_another_countys_reviewer_gets_404_in_the_admin(client, world, row):
    from communities.models import Role
    from tests.communities.factories import UserFactory

    other_county = RegionFactory(code=world.c.community.street_id[:6], name="另一县")
    outsider = UserFactory(username="reviewer_c", role=Role.REVIEWER, region=other_county)
    client.force_login(outsider)
    before = snapshot()
    url = reverse(row.name, kwargs=row.args(world))
    assert client.get(url).status_code == 404
    assert client.post(url, {"budget": "1", "name": "换代码"}).status_code in (403, 404)
    assert snapshot() == before
