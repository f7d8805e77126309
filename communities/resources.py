"""django-import-export resources for the admin's import/export of the communities app's tables."""

from import_export import resources

from .models import Community, Region, Standard, SurveyReturn


class RegionResource(resources.ModelResource):
    class Meta:
        model = Region
        import_id_fields = ["code"]
        fields = ["code", "name"]


class CommunityResource(resources.ModelResource):
    class Meta:
        model = Community
        import_id_fields = ["code"]
        fields = ["code", "name", "street", "community_type", "urban_rural_code"]


class SurveyReturnResource(resources.ModelResource):
    class Meta:
        model = SurveyReturn
        import_id_fields = ["community", "year"]
        exclude = ["version", "updated_at", "updated_by", "submitted_by", "reviewed_by"]


class StandardResource(resources.ModelResource):
    class Meta:
        model = Standard
        import_id_fields = ["region_code", "key", "year_from"]
        fields = ["region_code", "key", "year_from", "value", "source"]
