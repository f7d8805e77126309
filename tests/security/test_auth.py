"""Sign-in security: throttling (django-axes) with one message for every failure, CSRF on every form, Django's
password validators, and sessions that end after an hour without activity."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

LOGIN_ERROR = "请输入一个正确的"


def _fail(client, username):
    return client.post(reverse("login"), {"username": username, "password": "wrong-password"})


def _error_text(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def test_a_failure_says_the_same_whether_or_not_the_user_exists(client, clerk_a):
    known = _fail(client, "clerk_a")
    unknown = _fail(client, "nobody-by-this-name")
    assert known.status_code == unknown.status_code == 200
    assert LOGIN_ERROR in _error_text(known)
    assert _error_text(known) == _error_text(unknown)


@pytest.mark.parametrize("username", ["clerk_a", "nobody-by-this-name"])
def test_repeated_failures_lock_the_login_even_with_the_right_password(client, clerk_a, username):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client, username).status_code == 200
    locked = _fail(client, username)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # Locked for the existing user as for the unknown one; the right password does not get in either.
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_so_others_still_sign_in(client, clerk_a, clerk_b):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "clerk_a")
    response = client.post(reverse("login"), {"username": "clerk_b", "password": PASSWORD})
    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, clerk_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _fail(client, "clerk_a")
    assert client.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client, "clerk_a").status_code == 200


def test_posts_without_the_csrf_token_are_refused(clerk_a, street_a):
    from tests.communities.factories import CommunityFactory, SurveyReturnFactory

    survey_return = SurveyReturnFactory(community=CommunityFactory(street=street_a), year=2025)
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD}).status_code == 403
    client.force_login(clerk_a)
    url = reverse("returns:edit", args=[survey_return.community_id, 2025])
    assert client.post(url, {"households": "5", "version": "1"}).status_code == 403
    survey_return.refresh_from_db()
    assert survey_return.households == 1000


def test_every_post_form_in_the_templates_carries_the_csrf_token():
    templates = Path(settings.BASE_DIR) / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.S | re.I):
            if re.search(r'method=["\']?post', form, flags=re.I):
                assert "{% csrf_token %}" in form, f"{path.relative_to(templates)}: a POST form without csrf_token"


@pytest.mark.parametrize(
    ("password", "message"),
    [("12345678", "密码只包含数字"), ("abc12", "密码太短，至少需要 8 个字符"), ("password123", "这个密码太常见了")],
)
def test_django_password_validators_refuse_weak_passwords(password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(message in text for text in refused.value.messages), refused.value.messages


def test_a_strong_password_passes():
    validate_password("Shequ-审核-2026-长密码")


def test_sessions_end_after_an_hour_without_activity(client, clerk_a):
    assert settings.SESSION_COOKIE_AGE == 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.post(reverse("login"), {"username": "clerk_a", "password": PASSWORD})
    assert client.get(reverse("returns:workspace")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # Every request renews the hour.
    assert session.expire_date > timezone.now() + timedelta(minutes=59)
    # An hour without activity: the session has expired and the next request goes to the login page.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("returns:workspace"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ----- the client's address behind the reverse proxy ------------------------------------------------------------

PROXY = "10.0.0.1"  # every request reaches the application from the proxy's address


def _fail_from(client, forwarded_for: str):
    return client.post(
        reverse("login"),
        {"username": "clerk_a", "password": "wrong-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def _sign_in_from(client, forwarded_for: str):
    return client.post(
        reverse("login"),
        {"username": "clerk_a", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_trusted_proxy_the_lock_is_on_the_forwarded_client_address(settings, clerk_a):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, colleague = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail_from(attacker, "203.0.113.5")
    assert _sign_in_from(attacker, "203.0.113.5").status_code == 429
    # Writing another address in front of the one the proxy appended does not get the attacker out of the lock…
    assert _sign_in_from(attacker, "198.51.100.7, 203.0.113.5").status_code == 429
    # …and the same user from another desk, through the same proxy, still signs in.
    assert _sign_in_from(colleague, "198.51.100.7").status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings, clerk_a):
    assert settings.TRUSTED_PROXY_COUNT == 0  # the default: no proxy
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail_from(client, "203.0.113.5")
    # A client that writes the header itself gets no new address: still locked.
    assert _sign_in_from(Client(), "198.51.100.7").status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, "203.0.113.5", PROXY),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # what the client wrote stays to the left
        (2, "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),  # two proxies: the outer one appended the client
        (2, "203.0.113.5", PROXY),  # shorter than the proxies configured: not through them
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_from_the_end_of_the_header(rf, settings, count, forwarded_for, expected):
    from config.client_address import client_address

    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == expected
