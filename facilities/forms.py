"""The premises of a return, edited as an inline formset."""

from django.forms import inlineformset_factory

from communities.models import SurveyReturn
from communities.returns.forms import BaseReturnRowsFormSet, RowForm

from .models import Premises


class PremisesForm(RowForm):
    class Meta:
        model = Premises
        fields = ["name", "category", "function", "area", "ownership", "built_year"]


PremisesFormSet = inlineformset_factory(
    SurveyReturn, Premises, form=PremisesForm, formset=BaseReturnRowsFormSet, extra=1, can_delete=True
)
