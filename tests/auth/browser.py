"""A person's browser during login: the portal through Chalice's test client, the IdP over HTTP.

It keeps the portal's cookies like a browser would (the login cookie between the start and the
callback, then the session cookie) and fills in the dev identity provider's forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

from tests.support.api import Answer, Api

_TX = re.compile(r'name="tx" value="([^"]+)"')


@dataclass
class Browser:
    api: Api
    cookies: dict[str, str] = field(default_factory=dict)
    accept: str = "application/json"
    idp: requests.Session = field(default_factory=requests.Session)

    def portal(self, path: str, **kwargs: Any) -> Answer:
        headers = {"Accept": self.accept, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer = self.api.get(path, headers=headers, **kwargs)
        self._keep_cookies(answer)
        return answer

    def _keep_cookies(self, answer: Answer) -> None:
        raw = answer.headers.get("set-cookie")
        if not raw:
            return
        for line in raw if isinstance(raw, list) else re.split(r",\s*(?=__Host-)", raw):
            jar: SimpleCookie = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def start_login(self, provider: str = "esignet", **query: str) -> str:
        """Click "log in": the URL of the provider's authorization page."""
        path = f"/api/auth/login/{provider}" + (f"?{urlencode(query)}" if query else "")
        answer = self.portal(path)
        assert answer.status == 302, answer.body
        return answer.headers["location"]

    def authenticate(self, authorize_url: str, individual_id: str, secret: str = "111111") -> requests.Response:
        """Open the provider's page and log in; the answer is the consent page (or a redirect)."""
        page = self.idp.get(authorize_url, allow_redirects=False)
        if page.status_code != 200:
            return page
        tx = _TX.search(page.text)
        assert tx, page.text
        return self.idp.post(authorize_url, data={"tx": tx.group(1), "step": "login", "individual_id": individual_id, "secret": secret}, allow_redirects=False)

    def consent(self, authorize_url: str, consent_page: requests.Response, share: list[str] | None = None, decision: str = "allow") -> str:
        """Agree (or not) on the consent page: the URL the provider sends the browser back to."""
        tx = _TX.search(consent_page.text)
        assert tx, consent_page.text
        shared = share if share is not None else re.findall(r'name="share" value="([^"]+)"', consent_page.text)
        answer = self.idp.post(authorize_url, data={"tx": tx.group(1), "step": "consent", "decision": decision, "share": shared}, allow_redirects=False)
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"]

    def callback(self, callback_url: str) -> Answer:
        parts = urlsplit(callback_url)
        return self.portal(parts.path + (f"?{parts.query}" if parts.query else ""))

    def log_in(self, individual_id: str, provider: str = "esignet", **query: str) -> Answer:
        """The whole login, as a person does it: the portal's answer to the callback."""
        authorize_url = self.start_login(provider, **query)
        consent_page = self.authenticate(authorize_url, individual_id)
        assert consent_page.status_code == 200, consent_page.text
        return self.callback(self.consent(authorize_url, consent_page))
