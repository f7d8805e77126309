"""The survey year a page opens on when the user asks for none: one rule for the workspace, the review queue, the
dashboards, the API and the upload forms."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from .models import SurveyReturn
from .periods import open_period_year


def last_year() -> int:
    """Returns are filled in for the year just ended."""
    return timezone.localdate().year - 1


def default_survey_year(scope_code: str | None) -> int:
    """The year of the reporting period open for the scope (``communities.periods``); else the latest year with
    the most returns under the scope; else last year.

    The most returns, not the newest year: one clerk starting a single draft for next year must not turn every
    dashboard to a year with one return of twenty. A new year takes over once it has as many returns as any other.
    """
    if scope_code is None:
        return last_year()
    open_year = open_period_year(scope_code)
    if open_year is not None:
        return open_year
    counts = SurveyReturn.objects.in_region(scope_code).order_by().values_list("year").annotate(n=Count("id"))
    best = max(counts, key=lambda row: (row[1], row[0]), default=None)
    return best[0] if best else last_year()
