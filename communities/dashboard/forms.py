"""Forms of the dashboard: the year and the standards a reviewer sets for their region."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from communities.access import can_see_code
from communities.models import StandardKey

from ..standards import STANDARD_UNITS


def is_rate(key: str) -> bool:
    return STANDARD_UNITS.get(key) == "率"


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
            if is_rate(key.value):
                # Typed as a percentage ("10" is 10%, as the page shows it), stored as a fraction (0.1) like every rate.
                field = forms.DecimalField(
                    # The model's label explains the fraction the admin and the import take: "(小数，0.1即10%)".
                    label=key.label.split("(")[0] + "(%)",
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    max_digits=5,
                    decimal_places=2,
                    help_text="%（填 10 表示 10%）",
                    error_messages={
                        "invalid": "请输入数字。",
                        "min_value": "不能为负数。",
                        "max_value": "比率不能超过 100%%。",
                        "max_decimal_places": "百分比最多保留 2 位小数。",
                        "max_digits": "请输入 0 到 100 之间的百分比。",
                    },
                )
            else:
                field = forms.DecimalField(
                    label=key.label,
                    required=False,
                    min_value=Decimal(0),
                    max_digits=16,
                    decimal_places=4,
                    help_text=STANDARD_UNITS.get(key.value, ""),
                    error_messages={
                        "invalid": "请输入数字。",
                        "min_value": "不能为负数。",
                        "max_decimal_places": "最多保留 4 位小数。",
                        "max_digits": "数值过大。",
                    },
                )
            # The table's column header is the only visible label: screen readers get the standard's name.
            field.widget.attrs["aria-label"] = f"{field.label}的新值"
            self.fields[key.value] = field

    def key_fields(self):
        return [self[key] for key in StandardKey.values]

    def values(self) -> dict[str, Decimal]:
        """The values to store: rates as fractions (10% → 0.1), everything else as typed."""
        values = {}
        for key in StandardKey.values:
            value = self.cleaned_data.get(key)
            if value is not None:
                values[key] = value / 100 if is_rate(key) else value
        return values

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.values():
            raise forms.ValidationError("请至少填写一项标准的数值。")
        return cleaned


def scoped_region_admin_form(form_class: type[forms.ModelForm], user, *, what: str) -> type[forms.ModelForm]:
    """An admin form whose ``region_code`` ``user`` may set only for their region or below it (administrators
    anywhere, including the national defaults): standards and validation rules."""

    class ScopedRegionForm(form_class):
        def clean_region_code(self):
            code = (self.cleaned_data.get("region_code") or "").strip()
            if not can_see_code(user, code) or (code == "" and not user.sees_everything):
                raise forms.ValidationError(f"只能为本人所属区划及其下级区划设置{what}。")
            return code

    return ScopedRegionForm


def scoped_standard_admin_form(form_class: type[forms.ModelForm], user) -> type[forms.ModelForm]:
    return scoped_region_admin_form(form_class, user, what="标准")


def scoped_rule_admin_form(form_class: type[forms.ModelForm], user) -> type[forms.ModelForm]:
    return scoped_region_admin_form(form_class, user, what="校验规则")
