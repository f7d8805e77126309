"""The form of a validation rule on the rules page (the region comes from the page, not the form)."""

from __future__ import annotations

from django import forms

from communities.forms import ModelForm
from communities.models import ValidationRule


class ValidationRuleForm(ModelForm):
    class Meta:
        model = ValidationRule
        fields = [
            "key",
            "kind",
            "left",
            "operator",
            "right_figure",
            "standard_key",
            "factor",
            "constant",
            "severity",
            "message",
            "source",
            "position",
            "active",
        ]
        widgets = {"message": forms.TextInput(attrs={"size": 60}), "source": forms.TextInput(attrs={"size": 60})}

    def __init__(self, *args, region_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.region_code = region_code
        for name in ("right_figure", "standard_key"):
            self.fields[name].choices = [("", "（不选）"), *self.fields[name].choices[1:]]
        if self.instance.pk:  # a rule keeps its key: another key is another rule
            self.fields["key"].disabled = True
