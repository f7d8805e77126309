"""Forms of the reporting cycle: open or change a period, extend it for a unit, send reminders."""

from __future__ import annotations

from django import forms

from communities.models import Community, Region, User
from communities.periods import period_regions

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    region = forms.ChoiceField(label="地区")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    opens_on = forms.DateField(label="开始日期", widget=DATE_WIDGET)
    due_on = forms.DateField(label="截止日期", widget=DATE_WIDGET)

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, f"{r.name}（{r.code}）") for r in period_regions(user)]

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("due_on") and data["due_on"] < data["opens_on"]:
            self.add_error("due_on", "截止日期不能早于开始日期，请重新选择日期。")
        return data


class ExtensionForm(forms.Form):
    unit = forms.ChoiceField(label="延期的街道(乡镇)或社区")
    due_on = forms.DateField(label="延期至", widget=DATE_WIDGET)
    reason = forms.CharField(label="延期原因", max_length=200, required=False)

    def __init__(self, *args, region_code: str, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        streets = Region.objects.in_region(region_code).streets().order_by("code")
        communities = Community.objects.in_region(region_code).select_related("street").order_by("code")
        self.fields["unit"].choices = [
            ("街道(乡镇)", [(s.code, f"{s.name}（整个街道）") for s in streets]),
            ("社区", [(c.code, f"{c.street.name} {c.name}") for c in communities]),
        ]


class ReminderForm(forms.Form):
    streets = forms.MultipleChoiceField(label="催报的街道(乡镇)", widget=forms.CheckboxSelectMultiple)
    message = forms.CharField(
        label="催报内容（不填则按各街道未提交的社区数自动生成）",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, streets: list[tuple[str, str]], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["streets"].choices = streets
        self.fields["streets"].error_messages["required"] = "请至少选择一个街道(乡镇)。"
