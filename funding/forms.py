"""A community's own funding allocations for a year (unit_code = the community's code), as a model formset.

Allocations at street level or above are not part of a community's return; the workbook import enters them.
"""

from django.forms import modelformset_factory

from communities.returns.forms import BaseUserModelFormSet, RowForm, UniqueRowsMixin

from .models import Allocation


class AllocationForm(RowForm):
    class Meta:
        model = Allocation
        fields = ["source", "use", "budget", "received"]
        labels = {"budget": "预算金额（元）", "received": "到位金额（元）"}  # 元, not the workbook's 万元


class BaseAllocationFormSet(UniqueRowsMixin, BaseUserModelFormSet):
    duplicate_field = "use"
    duplicate_message = "同一资金来源和经费用途只能填写一行，请合并金额。"

    def __init__(self, *args, unit_code: str, year: int, **kwargs):
        self.unit_code, self.year = unit_code, year
        kwargs.setdefault("queryset", Allocation.objects.filter(unit_code=unit_code, year=year))
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.unit_code, form.instance.year = self.unit_code, self.year
        return form

    def row_key(self, form):
        source, use = form.cleaned_data.get("source"), form.cleaned_data.get("use")
        return (source, use) if source and use else None


AllocationFormSet = modelformset_factory(
    Allocation, form=AllocationForm, formset=BaseAllocationFormSet, extra=1, can_delete=True
)
