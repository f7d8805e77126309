"""The admin as an administrator reads it: Chinese headings for every app, no English from Django, django-import-export
or django-simple-history on the index, a changelist, the export page, the add-user and password pages, a change
page, a version page, the group's permission picker and the admin's JavaScript strings (issue 16 item 4)."""

import json
import re

import pytest
from django.urls import reverse

from tests.communities.factories import SurveyReturnFactory
from tests.returns.helpers import admin_form_data
from tests.workforce.factories import WorkerFactory

# English that the admin showed before: app labels, import-export's field labels, Django's captions that its
# zh_Hans catalogue lacks, the permission names Django stores in English, simple-history's captions.
ENGLISH = (
    "Communities",
    "Workforce",
    "Facilities",
    "Funding",
    "Services",
    "Select all",
    "Code (",
    "Name (",
    "Street (",
    "Community Type",
    "Urban Rural Code",
    "After you",
    "user options",
    "current password",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "historical",
    "Historical",
    "Changes",
    "Return version",
    "None",
)


def visible_text(response) -> str:
    """What the page shows: the HTML without scripts, styles and tags."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def assert_no_english(response) -> str:
    assert response.status_code == 200
    text = visible_text(response)
    found = [word for word in ENGLISH if word in text]
    assert not found, found
    return text


@pytest.fixture
def worker(street_a):
    return WorkerFactory(survey_return=SurveyReturnFactory(community__street=street_a, community__name="城关社区"))


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_the_admin_index_names_every_app_in_chinese(admin_client):
    text = assert_no_english(admin_client.get(reverse("admin:index")))
    for heading in ("社区与年度填报", "社区工作者", "办公服务用房", "经费", "服务项目", "认证和授权", "登录安全"):
        assert heading in text, heading


def test_a_changelist_and_a_change_page_are_in_chinese(admin_client, worker):
    community = worker.survey_return.community
    text = assert_no_english(admin_client.get(reverse("admin:communities_community_changelist")))
    assert "首页 › 社区与年度填报 › 社区" in " ".join(text.replace("&rsaquo;", "›").split())
    text = assert_no_english(admin_client.get(reverse("admin:communities_community_change", args=[community.pk])))
    assert "社区与年度填报" in text
    assert_no_english(admin_client.get(reverse("admin:workforce_worker_change", args=[worker.pk])))


@pytest.mark.parametrize(
    ("model", "headers"),
    [
        ("communities_community", ["社区代码", "社区名称", "街道(乡镇)代码", "社区类型", "城乡分类代码"]),
        ("communities_region", ["区划代码", "名称"]),
    ],
)
def test_the_export_field_picker_shows_the_column_headers_only(admin_client, worker, model, headers):
    response = admin_client.get(reverse(f"admin:{model}_export"))
    text = assert_no_english(response)
    assert "全选" in text
    labels = [field.label for field in response.context["form"] if getattr(field.field, "is_selectable_field", False)]
    assert labels[: len(headers)] == headers


def test_the_export_of_a_table_without_workbook_columns_is_headed_by_the_field_names(admin_client):
    response = admin_client.get(reverse("admin:communities_importrecord_export"))
    text = assert_no_english(response)
    assert "原文件名" in text and "original" not in text


def test_the_user_pages_are_in_chinese(admin_client, clerk_a):
    text = assert_no_english(admin_client.get(reverse("admin:communities_user_add")))
    assert "创建用户后，才能编辑该用户的更多选项。" in text
    text = assert_no_english(admin_client.get(reverse("admin:auth_user_password_change", args=[clerk_a.pk])))
    assert "如果禁用，该用户当前的密码将作废。" in text


def test_the_permission_picker_names_permissions_in_chinese(admin_client):
    response = admin_client.get(reverse("admin:auth_group_add"))
    text = assert_no_english(response)
    assert "社区与年度填报 | 社区 | 可以新增 社区" in text
    assert "社区工作者 | 社区工作者（历史版本） | 可以查看 社区工作者（历史版本）" in text
    assert "社区与年度填报 | 年度填报 | 可以审核、退回和重新打开年度填报" in text  # the project's own keeps its name


def test_a_version_page_is_in_chinese(admin_client, worker):
    community = worker.survey_return.community
    version = community.history.first()
    url = reverse("admin:communities_community_simple_history", args=[community.pk, version.pk])
    text = " ".join(assert_no_english(admin_client.get(url)).replace("&rsaquo;", "›").split())
    assert "首页 › 社区与年度填报 › 社区 ›" in text
    assert_no_english(admin_client.get(reverse("admin:communities_community_history", args=[community.pk])))


def test_the_admins_javascript_strings_are_chinese(admin_client):
    js = admin_client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", js, re.S).group(1))
    assert catalog["Show"] == "显示" and catalog["Hide"] == "隐藏"
    assert catalog["Choose all %s"] == "选择全部%s"
    initials = [catalog[f"one letter {day}\x04{letter}"] for day, letter in (("Sunday", "S"), ("Monday", "M"))]
    assert initials == ["日", "一"]


def test_the_admin_history_shows_choices_by_their_chinese_labels(admin_client, worker):
    community = worker.survey_return.community
    url = reverse("admin:communities_community_change", args=[community.pk])
    data = admin_form_data(admin_client, url)
    data["community_type"] = "town"
    assert admin_client.post(url, data).status_code == 302
    response = admin_client.get(reverse("admin:communities_community_history", args=[community.pk]))
    text = assert_no_english(response).replace("&nbsp;", " ").replace("&rarr;", "→")
    text = " ".join(text.split())
    assert "社区类型: 城市社区 → 集镇社区" in text
    assert "urban" not in text and "town" not in text
