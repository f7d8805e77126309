"""Build the POST data of the return page and of the admin's forms from what they render, as a browser would."""

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


def admin_form_data(client, url):
    """The POST data of an admin change form as rendered (every editable field's current value)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        data[bound.html_name] = (
            "on" if value is True else str(value.isoformat() if hasattr(value, "isoformat") else value)
        )
    return data


def xlsx_upload(dataset):
    """A tablib dataset as an uploaded .xlsx file."""
    import io

    from import_export.formats.base_formats import XLSX

    upload = io.BytesIO(XLSX().export_data(dataset))
    upload.name = "import.xlsx"
    return upload


def admin_import(client, model_path, dataset):
    """Import a tablib dataset through the admin's own pages, as a user would: upload (preview), then confirm.
    Returns the confirmation's response."""
    upload = xlsx_upload(dataset)
    preview = client.post(f"/admin/{model_path}/import/", {"format": "0", "import_file": upload, "resource": "0"})
    assert preview.status_code == 200, preview.status_code
    confirm = preview.context["confirm_form"]
    assert confirm is not None, "the preview found errors"
    return client.post(f"/admin/{model_path}/process_import/", confirm.initial)
