from django.contrib import admin

from communities.admin_base import LockedReturnChildAdmin

from .models import Premises
from .resources import PremisesResource


@admin.register(Premises)
class PremisesAdmin(LockedReturnChildAdmin):
    resource_classes = [PremisesResource]
    list_display = ["name", "community", "year", "category", "function", "area", "ownership"]
    search_fields = ["name", "survey_return__community__name", "survey_return__community__code"]
    list_filter = ["survey_return__year", "category", "function", "ownership"]
    raw_id_fields = ["survey_return"]

    @admin.display(description="社区")
    def community(self, obj):
        return self.community_display(obj)

    @admin.display(description="年度")
    def year(self, obj):
        return self.year_display(obj)
