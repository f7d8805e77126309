"""django-import-export resources for the admin's import/export of the communities app's tables."""

from import_export import resources

from .models import Region, Standard
from .workbook.admin_resources import community_resource, survey_return_resource


class RegionResource(resources.ModelResource):
    class Meta:
        model = Region
        import_id_fields = ["code"]
        fields = ["code", "name"]


# Communities and returns use the workbook's 「社区基本情况」 columns (communities/workbook/columns.py).
CommunityResource = community_resource(name="CommunityResource")
SurveyReturnResource = survey_return_resource(name="SurveyReturnResource")


class StandardResource(resources.ModelResource):
    class Meta:
        model = Standard
        import_id_fields = ["region_code", "key", "year_from"]
        fields = ["region_code", "key", "year_from", "value", "source"]
