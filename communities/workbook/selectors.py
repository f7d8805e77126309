"""Reads of the workbook pages: the import history."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from communities.models import ImportRecord, User


def import_records_for_user(user: User) -> QuerySet[ImportRecord]:
    """Imports of the regions the user may see, newest first (one query with the importer)."""
    return ImportRecord.objects.for_user(user).select_related("user").order_by("-created_at", "-pk")


def get_import_record_for_user(user: User, pk: int) -> ImportRecord:
    """The record, or 404 when it does not exist or lies outside the user's region."""
    return get_object_or_404(import_records_for_user(user), pk=pk)
