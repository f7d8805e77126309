"""Build the POST data of the return page from what it renders, as a browser would send it back."""

from django.urls import reverse


def page_data(client, code, year):
    """The form data of the return page as rendered (every field's current value)."""
    response = client.get(reverse("returns:edit", args=[code, year]))
    assert response.status_code == 200, response.status_code
    context = response.context
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None:
                continue
            if bound.field.widget.input_type == "checkbox" if hasattr(bound.field.widget, "input_type") else False:
                if value:
                    data[bound.html_name] = "on"
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            data[bound.html_name] = str(value)

    add(context["form"])
    for formset in context["formsets"].values():
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = str(value)
        for form in formset:
            add(form)
    return data
