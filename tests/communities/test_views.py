"""Sign-in, sign-out and the home page that sends each role where it works."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


def test_home_sends_anonymous_users_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_chinese_and_signs_in(client, clerk_a):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "登录" in page.content.decode()
    response = client.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_keeps_the_user_out_with_a_chinese_message(client, clerk_a):
    response = client.post(reverse("login"), {"username": "clerk_a", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("user_fixture", "target"),
    [("clerk_a", "returns:workspace"), ("reviewer", "dashboard:index"), ("administrator", "dashboard:index")],
)
def test_home_sends_each_role_to_where_it_works(client, request, user_fixture, target):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(target)


def test_logout_needs_post_and_signs_out(client, clerk_a):
    client.force_login(clerk_a)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_static_css_is_served_by_the_application(client, db):
    response = client.get("/static/css/shequ.css")
    assert response.status_code == 200
