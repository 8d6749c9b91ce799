"""Citizen sign-in with OpenID Connect against the sandbox provider: real redirects, PKCE, RS256
ID tokens, userinfo; claims mapped to a MotCua account by (issuer, subject)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from motcua.core.models import User
from motcua.integrations.identity import oidc
from motcua.integrations.identity.profiles import citizen_profile
from motcua.integrations.identity.sandbox import PASSWORD
from motcua.integrations.models import IdentityLink

pytestmark = pytest.mark.django_db
ISSUER = "http://127.0.0.1:8000/idp-thu-nghiem/o"


class Answer:
    """A ``requests`` response made from a Django test response."""

    def __init__(self, response: Any, url: str) -> None:
        self.status_code = response.status_code
        self.text = response.content.decode()
        self.headers = {k.lower(): v for k, v in response.items()}
        self.url = url

    def json(self) -> Any:
        import json

        return json.loads(self.text)

    def raise_for_status(self) -> None:
        assert self.status_code < 400, self.text


@pytest.fixture
def provider_network(monkeypatch):
    """Route the relying party's server-to-server calls to the provider (same test server)."""
    backchannel = Client()

    def post(url: str, data: dict[str, str], **_: Any) -> Answer:
        return Answer(backchannel.post(urlsplit(url).path, data), url)

    def get(url: str, headers: dict[str, str] | None = None, **_: Any) -> Answer:
        auth = (headers or {}).get("Authorization", "")
        return Answer(backchannel.get(urlsplit(url).path, HTTP_AUTHORIZATION=auth), url)

    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", post)
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", get)


def sign_in_with_provider(client: Client, id_number: str, next_url: str = "/ho-so-cua-toi/"):
    start = client.get(f"/dang-nhap/vneid/?next={next_url}")
    assert start.status_code == 302
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith("/idp-thu-nghiem/o/authorize/")
    assert query["code_challenge_method"] == ["S256"]
    assert query["scope"][0].startswith("openid")
    to_login = client.get(authorize)
    assert to_login.status_code == 302
    assert "/idp-thu-nghiem/" in to_login["Location"]
    login_page = to_login["Location"]
    next_at_provider = parse_qs(urlsplit(login_page).query)["next"][0]
    signed = client.post(
        "/idp-thu-nghiem/", {"id_number": id_number, "password": PASSWORD, "next": next_at_provider}
    )
    assert signed.status_code == 302
    back = client.get(signed["Location"])
    assert back.status_code == 302
    assert "/dang-nhap/vneid/callback/?code=" in back["Location"]
    return client.get(back["Location"])


def test_a_citizen_signs_in_with_the_sandbox_provider(demo, provider_network):
    client = Client()
    done = sign_in_with_provider(client, "091190000101")
    assert done.status_code == 302
    assert done["Location"] == "/ho-so-cua-toi/"
    link = IdentityLink.objects.get()
    assert link.issuer == ISSUER
    assert link.subject == "vneid-8f3a1c"
    assert link.id_number == "091190000101"
    assert link.vneid_verified
    user = link.user
    assert user.full_name == "Lê Thị Mai"
    assert user.phone == "0912000101"
    assert not user.has_usable_password()
    assert client.get("/ho-so-cua-toi/").status_code == 200
    profile = citizen_profile(user)
    assert profile.id_number == "091190000101"
    assert profile.vneid_verified


def test_signing_in_again_finds_the_same_account(demo, provider_network):
    sign_in_with_provider(Client(), "091185000102")
    sign_in_with_provider(Client(), "091185000102")
    assert IdentityLink.objects.count() == 1
    assert User.objects.filter(identity_links__isnull=False).count() == 1


def test_an_account_not_verified_with_vneid_is_recorded_as_such(demo, provider_network):
    sign_in_with_provider(Client(), "091201000103")
    assert not IdentityLink.objects.get().vneid_verified


def test_a_wrong_password_at_the_provider_signs_nobody_in(demo, provider_network):
    client = Client()
    start = client.get("/dang-nhap/vneid/")
    login_page = client.get(start["Location"])["Location"]
    next_at_provider = parse_qs(urlsplit(login_page).query)["next"][0]
    refused = client.post(
        "/idp-thu-nghiem/", {"id_number": "091190000101", "password": "x", "next": next_at_provider}
    )
    assert refused.status_code == 400
    assert client.get("/ho-so-cua-toi/").status_code == 302


def test_the_provider_sign_in_never_signs_anyone_in_to_the_portal(demo):
    client = Client()
    client.get("/idp-thu-nghiem/")
    client.post("/idp-thu-nghiem/", {"id_number": "091190000101", "password": PASSWORD})
    assert client.get("/ho-so-cua-toi/").status_code == 302


def test_a_forged_callback_is_refused(demo):
    client = Client()
    client.get("/dang-nhap/vneid/")
    response = client.get("/dang-nhap/vneid/callback/?code=abc&state=forged")
    assert response.status_code == 400  # state not in the session: SuspiciousOperation


def test_claims_map_to_an_account_by_issuer_and_subject(demo):
    claims = {
        "sub": "s-1",
        "name": "Lê Thị Mai",
        "national_id": "091190000101",
        "vneid_verified": True,
        "email": "mai@example.vn",
    }
    first = oidc.account_for_identity("https://sso.example", claims)
    again = oidc.account_for_identity("https://sso.example", {**claims, "phone_number": "0912"})
    other = oidc.account_for_identity("https://other.example", claims)
    assert first.pk == again.pk != other.pk
    assert User.objects.get(pk=first.pk).phone == "0912"
