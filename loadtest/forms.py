"""The forms of a page as a browser would submit them (for the load and fault tests; standard library only)."""

from __future__ import annotations

from html.parser import HTMLParser


class FormParser(HTMLParser):
    """Every POST form of a page, as a browser submits it: inputs (checkboxes only when checked, no buttons, no
    files), selects (the selected or else the first option), textareas. ``forms`` holds (action, fields)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[list[str]]]] = []
        self._fields: list[list[str]] | None = None
        self._select: list | None = None
        self._select_first = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                self._fields = []
                self.forms.append((attrs.get("action") or "", self._fields))
            return
        if self._fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._fields.append([name, attrs.get("value") or ("on" if kind in ("checkbox", "radio") else "")])
        elif tag == "select" and name:
            self._select, self._select_first = [name, None], None
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._select[1] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._fields is None:
            return
        if tag == "select" and self._select is not None:
            if self._select[1] is None:
                self._select[1] = self._select_first or ""
            self._fields.append(self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._fields.append(self._textarea)
            self._textarea = None
        elif tag == "form":
            self._fields = None


def parse_form(html: str, action_contains: str = "") -> tuple[str | None, list[list[str]]]:
    """The first POST form whose action contains ``action_contains`` ('' = the page's own form, whose action is
    empty); never the sign-out form of the page header. (None, []) when there is none."""
    parser = FormParser()
    parser.feed(html)
    for action, fields in parser.forms:
        if "logout" in action:
            continue
        if (action_contains and action_contains in action) or (not action_contains and not action):
            return action, fields
    return None, []
