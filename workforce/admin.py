from django.contrib import admin

from communities.admin_base import LockedReturnChildAdmin

from .models import Worker
from .resources import WorkerResource


@admin.register(Worker)
class WorkerAdmin(LockedReturnChildAdmin):
    resource_classes = [WorkerResource]
    list_display = ["name", "community", "year", "position", "monthly_pay", "hired_on", "left_on", "seconded"]
    search_fields = ["name", "survey_return__community__name", "survey_return__community__code"]
    list_filter = ["survey_return__year", "position", "education", "seconded", "gender"]
    raw_id_fields = ["survey_return"]

    @admin.display(description="社区")
    def community(self, obj):
        return self.community_display(obj)

    @admin.display(description="年度")
    def year(self, obj):
        return self.year_display(obj)
