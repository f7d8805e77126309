from django.contrib import admin

from communities.admin_base import LockedRowsAdmin

from .models import Allocation
from .resources import AllocationResource


@admin.register(Allocation)
class AllocationAdmin(LockedRowsAdmin):
    """A community's own allocations are read-only while its return for that year is approved."""

    resource_classes = [AllocationResource]
    list_display = ["unit_code", "year", "source", "use", "budget", "received"]
    search_fields = ["unit_code"]
    list_filter = ["year", "source", "use"]
    parent_fields = ("unit_code", "year")  # which community's return (and year) the money is
