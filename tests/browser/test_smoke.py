"""The browser harness itself: Chromium starts, the login page renders with the app's own stylesheet."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_a_user_signs_in_and_lands_on_their_page(page, shot, reviewer):
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    # The stylesheet is served by the app itself (no CDN): the header has the primary colour.
    colour = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert colour == "rgb(180, 35, 24)"
    shot(page, "login-page")
    login(page, "reviewer", shot=shot)
    assert page.js_errors == []
