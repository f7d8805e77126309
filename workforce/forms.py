"""The worker roster of a return, edited as an inline formset.

ID numbers are shown masked (4206**********1234) to everyone but administrators; a masked value sent back
unchanged keeps the stored number.
"""

from django import forms
from django.forms import inlineformset_factory

from communities.models import SurveyReturn
from communities.returns.forms import BaseReturnRowsFormSet, RowForm

from .models import Worker
from .validators import is_valid_id_number, validate_id_number


class WorkerForm(RowForm):
    class Meta:
        model = Worker
        fields = [
            "name",
            "id_number",
            "gender",
            "birth_year",
            "education",
            "political_status",
            "position",
            "hired_on",
            "left_on",
            "leave_reason",
            "seconded",
            "seconded_to",
            "qualification",
            "monthly_pay",
            "monthly_allowance",
            "monthly_social_insurance",
        ]
        labels = {
            "monthly_pay": "月基本报酬（元）",
            "monthly_allowance": "月补贴（元）",
            "monthly_social_insurance": "月个人社保（元）",
        }
        widgets = {
            "hired_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model validator would run on the masked value; the form validates the real one in clean_id_number.
        self.fields["id_number"].validators = []
        self.show_id_number = bool(self.user and self.user.is_administrator)
        if not self.show_id_number and self.instance.id_number:
            self.initial["id_number"] = self.instance.masked_id_number

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        if self.instance.pk and self.instance.id_number and value == self.instance.masked_id_number:
            return self.instance.id_number  # shown masked, left as it was
        if value:
            validate_id_number(value)
        return value

    def clean(self):
        cleaned = super().clean()
        hired_on, left_on = cleaned.get("hired_on"), cleaned.get("left_on")
        if hired_on and left_on and left_on < hired_on:
            self.add_error("left_on", "离职日期不能早于入职日期。")
        if cleaned.get("seconded") is False and cleaned.get("seconded_to"):
            self.add_error("seconded_to", "未被借用时不填借用单位；如已被借用，请勾选“是否被借用”。")
        return cleaned


class BaseWorkerFormSet(BaseReturnRowsFormSet):
    duplicate_field = None
    duplicate_message = "同一身份证号（或同名同出生年份）的工作者重复填写。"

    def row_key(self, form):
        id_number = form.cleaned_data.get("id_number") or ""
        if id_number and is_valid_id_number(id_number):
            return ("id", id_number)
        name = (form.cleaned_data.get("name") or "").strip()
        if not name:
            return None
        return ("name", name, form.cleaned_data.get("birth_year"))


WorkerFormSet = inlineformset_factory(
    SurveyReturn, Worker, form=WorkerForm, formset=BaseWorkerFormSet, extra=1, can_delete=True
)
