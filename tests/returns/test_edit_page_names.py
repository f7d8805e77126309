"""The return page's inputs have accessible names (issue 16 item 14): the table cells of the row formsets have no
label next to them, so every input is named by its row and column ('第1行 姓名'), and the page has jump links to
its parts and the save buttons."""

from html.parser import HTMLParser

from django.urls import reverse

from communities.returns.forms import NEW_ROW_NUMBER


class Controls(HTMLParser):
    """The form controls of a page (outside <template>), the ids that a <label for> names, and every id."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.template_controls: list[dict] = []
        self.labelled: set[str] = set()
        self.ids: set[str] = set()
        self.in_template = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "template":
            self.in_template += 1
        elif tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            (self.template_controls if self.in_template else self.controls).append(attrs)

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1


def _controls(client, return_a):
    response = client.get(reverse("returns:edit", args=[return_a.community_id, return_a.year]))
    assert response.status_code == 200
    parser = Controls()
    parser.feed(response.content.decode())
    return parser


def _unnamed(parser, controls):
    return [
        c.get("name")
        for c in controls
        if not c.get("aria-label") and not c.get("aria-labelledby") and c.get("id") not in parser.labelled
    ]


def test_every_input_of_the_return_page_has_an_accessible_name(client, clerk_a, return_a):
    client.force_login(clerk_a)
    parser = _controls(client, return_a)
    # basics (9) + 2 workers (17 each with the delete box) + premises, funding, programs rows and the explanation
    assert len(parser.controls) > 50
    assert _unnamed(parser, parser.controls) == []
    named = {c["name"]: c.get("aria-label") for c in parser.controls}
    assert named["workers-0-name"] == "第1行 姓名"
    assert named["workers-1-monthly_pay"] == "第2行 月基本报酬（元）"
    assert named["workers-1-DELETE"] == "第2行 删除"
    assert named["premises-0-area"] == "第1行 建筑面积(平方米)"
    assert named["funding-0-source"] == "第1行 资金来源"
    assert named["programs-0-name"] == "第1行 项目名称"
    # The basics keep their visible labels.
    assert named["households"] is None and "id_households" in parser.labelled


def test_the_row_added_in_the_browser_is_named_too(client, clerk_a, return_a):
    """The empty row that '添加一行' clones carries the placeholder formset.js replaces by the new row's number."""
    client.force_login(clerk_a)
    parser = _controls(client, return_a)
    assert parser.template_controls
    assert _unnamed(parser, parser.template_controls) == []
    names = {c["name"]: c["aria-label"] for c in parser.template_controls}
    assert names["workers-__prefix__-name"] == f"第{NEW_ROW_NUMBER}行 姓名"


def test_the_return_page_links_to_its_parts_and_its_buttons(client, clerk_a, return_a):
    client.force_login(clerk_a)
    response = client.get(reverse("returns:edit", args=[return_a.community_id, return_a.year]))
    page = response.content.decode()
    parser = Controls()
    parser.feed(page)
    for anchor, text in [
        ("part-basics", "基本情况"),
        ("part-workers", "社区工作者"),
        ("part-premises", "用房"),
        ("part-funding", "经费"),
        ("part-programs", "服务项目"),
        ("form-actions", "保存"),
    ]:
        assert f'<a href="#{anchor}">{text}</a>' in page
        assert anchor in parser.ids
    assert 'class="no-print form-actions" id="form-actions"' in page
