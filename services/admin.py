from django.contrib import admin

from communities.admin_base import LockedReturnChildAdmin

from .models import ServiceProgram
from .resources import ServiceProgramResource


@admin.register(ServiceProgram)
class ServiceProgramAdmin(LockedReturnChildAdmin):
    resource_classes = [ServiceProgramResource]
    list_display = ["name", "community", "year", "area", "provider", "beneficiaries", "funds"]
    search_fields = ["name", "survey_return__community__name", "survey_return__community__code"]
    list_filter = ["survey_return__year", "area", "provider"]
    raw_id_fields = ["survey_return"]

    @admin.display(description="社区")
    def community(self, obj):
        return self.community_display(obj)

    @admin.display(description="年度")
    def year(self, obj):
        return self.year_display(obj)
