"""Reads of the workbook pages: the import history."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from communities.models import ImportOutcome, ImportRecord, Region, User


def import_records_for_user(user: User) -> QuerySet[ImportRecord]:
    """Imports of the regions the user may see, newest first (one query with the importer), each with its region's
    name (``region_name``) and, for a preview, the later import of the same file for the same year and region
    (``imported_as``: its pk, or None)."""
    later_import = ImportRecord.objects.filter(
        sha256=OuterRef("sha256"),
        year=OuterRef("year"),
        region_code=OuterRef("region_code"),
        outcome=ImportOutcome.IMPORTED,
        pk__gt=OuterRef("pk"),
    ).exclude(sha256="")
    return (
        ImportRecord.objects.for_user(user)
        .select_related("user")
        .annotate(
            region_name=Subquery(Region.objects.filter(code=OuterRef("region_code")).values("name")[:1]),
            imported_as=Subquery(later_import.order_by("pk").values("pk")[:1]),
        )
        .order_by("-created_at", "-pk")
    )


def get_import_record_for_user(user: User, pk: int) -> ImportRecord:
    """The record, or 404 when it does not exist or lies outside the user's region."""
    try:
        return import_records_for_user(user).get(pk=pk)
    except ImportRecord.DoesNotExist:
        raise Http404("没有找到该导入记录，或您无权查看。") from None
