"""The service programs of a return, edited as an inline formset."""

from django.forms import inlineformset_factory

from communities.models import SurveyReturn
from communities.returns.forms import BaseReturnRowsFormSet, RowForm

from .models import ServiceProgram


class ServiceProgramForm(RowForm):
    class Meta:
        model = ServiceProgram
        fields = ["name", "area", "provider", "beneficiaries", "volunteer_visits", "funds"]
        labels = {"funds": "经费（元）"}


ServiceProgramFormSet = inlineformset_factory(
    SurveyReturn, ServiceProgram, form=ServiceProgramForm, formset=BaseReturnRowsFormSet, extra=1, can_delete=True
)
