"""Reads of the workbook pages: the import history."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from communities.models import ImportRecord, User


def import_records_for_user(user: User) -> QuerySet[ImportRecord]:
    """Imports of the regions the user may see, newest first (one query with the importer)."""
    return ImportRecord.objects.for_user(user).select_related("user").order_by("-created_at", "-pk")


def get_import_record_for_user(user: User, pk: int) -> ImportRecord:
    """The record, or 404 when it does not exist or lies outside the user's region."""
    try:
        return import_records_for_user(user).get(pk=pk)
    except ImportRecord.DoesNotExist:
        raise Http404("没有找到该导入记录，或您无权查看。") from None
