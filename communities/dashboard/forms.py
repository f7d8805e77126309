"""Forms of the dashboard: the year and the standards a reviewer sets for their region."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from communities.access import can_see_code
from communities.models import StandardKey

from ..standards import STANDARD_UNITS


class StandardsForm(forms.Form):
    """One optional field per standard key: those filled in are set for the region from ``year_from`` on."""

    year_from = forms.IntegerField(
        label="自该年度起生效", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = forms.CharField(
        label="依据文件",
        max_length=300,
        help_text="如：保民发〔2024〕3号",
        error_messages={"required": "请填写依据文件：标准必须注明出处。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in StandardKey:
            self.fields[key.value] = forms.DecimalField(
                label=f"{key.label}",
                required=False,
                min_value=Decimal(0),
                max_digits=16,
                decimal_places=4,
                help_text=(
                    "填小数，如 0.1 表示 10%"
                    if STANDARD_UNITS.get(key.value) == "率"
                    else STANDARD_UNITS.get(key.value, "")
                ),
                error_messages={"invalid": "请输入数字。", "min_value": "不能为负数。"},
            )

    def key_fields(self):
        return [self[key] for key in StandardKey.values]

    def values(self) -> dict[str, Decimal]:
        return {key: self.cleaned_data[key] for key in StandardKey.values if self.cleaned_data.get(key) is not None}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.values():
            raise forms.ValidationError("请至少填写一项标准的数值。")
        return cleaned


def scoped_standard_admin_form(form_class: type[forms.ModelForm], user) -> type[forms.ModelForm]:
    """The admin's Standard form for ``user``: a reviewer may only set standards for their region or below it
    (administrators anywhere, including the national defaults)."""

    class ScopedStandardForm(form_class):
        def clean_region_code(self):
            code = (self.cleaned_data.get("region_code") or "").strip()
            if not can_see_code(user, code) or (code == "" and not user.sees_everything):
                raise forms.ValidationError("只能为本人所属区划及其下级区划设置标准。")
            return code

    return ScopedStandardForm
