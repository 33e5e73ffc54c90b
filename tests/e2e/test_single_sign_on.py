"""Single sign-on in the browser (issue 14, item 4): "Mit … anmelden" on the login page leads through
a real OpenID provider on 127.0.0.1 and back into the hub, logged in; the page stays axe-clean."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.models import User
from tests.e2e.axe import violations
from tests.e2e.conftest import LIVE_APPS
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, running

pytestmark = pytest.mark.e2e


@pytest.fixture
def sso_server(live_server):
    """The live hub, configured for a provider that signs in Jana Lehmann; everything undone after."""
    app = LIVE_APPS[live_server]
    saved = dict(app.config)
    with running() as provider:
        provider.person = {"sub": "e2e-jana", "email": "jana.lehmann@zz-sachsen.example", "email_verified": True}
        app.config.update(OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET,
                          OIDC_NAME="Zentrums-Login")
        try:
            yield live_server
        finally:
            app.config.clear()
            app.config.update(saved)
            with app.app_context():
                jana = db.session.scalars(sa.select(User).where(User.username == "jlehmann")).one()
                jana.oidc_issuer = jana.oidc_subject = None
                db.session.commit()


def test_the_button_signs_in_through_the_provider(sso_server, page):
    page.goto(sso_server + "/login?next=/practices/")
    button = page.get_by_role("link", name="Mit Zentrums-Login anmelden")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # reachable and usable by keyboard
    assert page.url == sso_server + "/practices/"
    assert "Jana Lehmann" in page.locator("header").inner_text()


def test_the_login_page_with_the_button_is_accessible(sso_server, audit_page):
    LIVE_APPS[sso_server].config["PASSWORD_LOGIN"] = False
    audit_page.goto(sso_server + "/login")
    assert audit_page.get_by_label("Passwort").count() == 0
    assert violations(audit_page) == []
