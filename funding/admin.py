from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communities.admin_base import ScopedAdmin

from .models import Allocation
from .resources import AllocationResource


@admin.register(Allocation)
class AllocationAdmin(ScopedAdmin, SimpleHistoryAdmin):
    resource_classes = [AllocationResource]
    list_display = ["unit_code", "year", "source", "use", "budget", "received"]
    search_fields = ["unit_code"]
    list_filter = ["year", "source", "use"]
