"""The project's form base: labels without a colon after them (Django adds ':' by default), as every page writes
its labels."""

from __future__ import annotations

from django import forms


class NoColonLabelsMixin:
    """``label_tag`` renders "年度", not "年度:" (Django's ``label_suffix``), unless a form is given one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class Form(NoColonLabelsMixin, forms.Form):
    pass


class ModelForm(NoColonLabelsMixin, forms.ModelForm):
    pass
