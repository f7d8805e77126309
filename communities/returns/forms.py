"""Forms of the return page and the review actions; the row formsets live in each app's forms.py."""

from __future__ import annotations

from django import forms
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.forms.renderers import Jinja2

from communities.forms import Form
from communities.models import SurveyReturn

from .services import BASIC_FIELDS

# The return page renders some 500 widgets (a roster of 20 workers is 340 of them). Django's own form templates in
# Jinja2 render the same HTML in about half the time of the Django template engine (measured: the page of a return
# with 17 workers went from 133 to 75 ms). Only the return page's forms use it; the admin keeps the default
# renderer, whose widget templates exist for the Django engine only.
RETURN_PAGE_RENDERER = Jinja2()


VERSION_MISSING_MESSAGE = "页面缺少版本信息，请刷新页面后重新填写。"


class ReturnBasicsForm(forms.ModelForm):
    """The basics of a return, and the version it was read at (optimistic concurrency)."""

    default_renderer = RETURN_PAGE_RENDERER

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": VERSION_MISSING_MESSAGE, "invalid": VERSION_MISSING_MESSAGE},
    )

    class Meta:
        model = SurveyReturn
        fields = [*BASIC_FIELDS, "explanation"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"explanation": "户数、人口变化超过 30%，用房面积或花名册人数变化超过 50% 时必须填写。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class CommentForm(Form):
    """The review actions (approve, send back, reopen): the comment, and the version of the return the reviewer's
    page showed — the action is refused when somebody changed the return since."""

    comment = forms.CharField(
        label="审核意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": VERSION_MISSING_MESSAGE, "invalid": VERSION_MISSING_MESSAGE},
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class UniqueRowsMixin:
    """Refuse two rows with the same key in one submission, with the message next to the second row.

    ``row_key(form)`` returns the key of a filled, not deleted row (or None to skip it)."""

    duplicate_message = "与上面的记录重复。"
    duplicate_field: str | None = None

    def row_key(self, form):  # pragma: no cover - overridden
        raise NotImplementedError

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            if not hasattr(form, "cleaned_data"):
                continue
            key = self.row_key(form)
            if key is None:
                continue
            if key in seen:
                form.add_error(self.duplicate_field, self.duplicate_message)
            seen.add(key)


ROW_NOT_FOUND_MESSAGE = "该行已不存在或不属于本填报（可能已被他人删除），请刷新页面后重新填写。"


class OwnRowIdsMixin:
    """A saved row's hidden id must name a row of this formset (this return's rows). Django accepts the id of any
    row of the table there, then silently drops that form's changes; here it is refused, with a message on the
    row (``_formset.html`` renders hidden-field errors), and so is a row the other editor deleted meanwhile."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        if pk_name in form.fields:
            form.fields[pk_name].queryset = self.get_queryset()
        for name in (pk_name, getattr(getattr(self, "fk", None), "name", None)):
            if name in form.fields:
                form.fields[name].error_messages["invalid_choice"] = ROW_NOT_FOUND_MESSAGE


# The row number in the accessible names of the empty row (the <template> "添加一行" clones): static/js/formset.js
# puts the new row's number in its place, as it puts the form index in place of __prefix__.
NEW_ROW_NUMBER = "__row__"


def row_label(row: int | str, label: str) -> str:
    """The accessible name of a cell's input, which the column header alone gives sighted users: '第3行 姓名'."""
    return f"第{row}行 {label}"


class UserRowsMixin:
    """A formset of the return page: every row form gets the acting user, and the page's renderer; every visible
    input of a row is named for screen readers by its row and column (the table shows no label next to it)."""

    renderer = RETURN_PAGE_RENDERER

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("form_kwargs", {})["user"] = user
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = NEW_ROW_NUMBER if index is None else index + 1
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            label = "删除" if name == "DELETE" else field.label
            field.widget.attrs["aria-label"] = row_label(row, label)


class BaseReturnRowsFormSet(UserRowsMixin, OwnRowIdsMixin, UniqueRowsMixin, BaseInlineFormSet):
    """Rows that belong to a return (workers, premises, programs), keyed by name unless overridden."""

    duplicate_field = "name"
    duplicate_message = "同一年度填报中名称不能重复。"

    def row_key(self, form):
        name = (form.cleaned_data.get("name") or "").strip()
        return name or None


class BaseUserModelFormSet(UserRowsMixin, OwnRowIdsMixin, BaseModelFormSet):
    """Rows of the return page that are not a return's own (allocations, keyed by unit code and year)."""


class RowForm(forms.ModelForm):
    """A row form that accepts (and ignores unless it needs it) the acting user."""

    default_renderer = RETURN_PAGE_RENDERER

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
