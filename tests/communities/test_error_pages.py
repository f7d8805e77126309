"""Every answer a person can reach is a page in Chinese that says what to do: a wrong method, a refused form
(CSRF), a bad request, a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_action_opened_after_logging_in_again_is_a_page_not_an_empty_405(client, clerk_a):
    # The session ran out while the clerk was on the upload page: the login page sends them back to the action.
    response = client.post(reverse("workbook:upload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.post(response["Location"], {"username": "clerk_a", "password": PASSWORD})
    response = client.get(reverse("workbook:upload"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    text = response.content.decode()
    assert "无法直接打开该地址" in text and "重新点击按钮" in text and 'href="/"' in text


def test_the_api_keeps_its_own_answer_to_a_wrong_method(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("api:indicators"))
    assert response.status_code == 405
    assert "无法直接打开该地址" not in response.content.decode()


def test_a_form_posted_without_its_csrf_token_is_refused_in_chinese(clerk_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk_a)
    response = client.post(reverse("workbook:upload"), {"year": 2025})
    assert response.status_code == 403
    text = response.content.decode()
    assert "提交未被接受" in text and "本次提交没有保存" in text
    assert "Forbidden" not in text and "CSRF" not in text


def test_a_request_with_too_many_fields_is_a_400_page_in_chinese(client, clerk_a):
    client.force_login(clerk_a)
    response = client.get(reverse("returns:workspace") + "?" + "&".join(f"f{i}=1" for i in range(1200)))
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_a_server_error_is_a_page_in_chinese_that_says_nothing_was_saved(clerk_a, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("communities.returns.selectors.workspace_communities", broken)
    client = Client(raise_request_exception=False)
    client.force_login(clerk_a)
    response = client.get(reverse("returns:workspace"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "系统出错" in text and "没有保存" in text and "boom" not in text and "Traceback" not in text


def test_an_invalid_year_in_the_workspace_says_which_year_is_shown(client, clerk_a):
    client.force_login(clerk_a)
    response = client.get(reverse("returns:workspace"), {"year": "abc"})
    assert response.status_code == 200
    year = response.context["year"]
    assert f"年度“abc”无效（应为 2000–2100 之间的年份），已显示 {year} 年。" in response.content.decode()
