"""The dev identity provider's pages: log in with an ID number and a code, consent, staff sign-in.

Plain server-rendered forms (no script), so they work in any browser and can be driven by a
headless HTTP client in tests. Forms post back to the same ``/authorize`` URL, which keeps the
authorization request's parameters in the query string.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0;color:#0b0c0c}header{background:#0b0c0c;color:#fff;padding:.75rem 1rem;font-weight:700}"
    "main{max-width:34rem;margin:2rem auto;padding:0 1rem}label{display:block;font-weight:600;margin:1rem 0 .25rem}"
    "input[type=text],input[type=password],select{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box;border:2px solid #0b0c0c}"
    "button{font-size:1rem;padding:.6rem 1rem;margin:1.25rem .75rem 0 0;border:0;background:#00703c;color:#fff;font-weight:600}"
    "button.secondary{background:#f3f2f1;color:#0b0c0c}.hint{color:#505a5f}.error{color:#d4351c;font-weight:600}"
    "ul{list-style:none;padding:0}li{margin:.5rem 0}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()


def csp(client_origins: list[str]) -> str:
    """The pages' policy. A form here posts to this IdP, whose answer redirects to a client:
    browsers apply ``form-action`` to that redirect too, so the clients' origins are listed."""
    forms = " ".join(["'self'", *sorted(set(client_origins))])
    return f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; img-src data:; form-action {forms}; base-uri 'none'; frame-ancestors 'none'"


TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Log in with your national ID",
        "id": "ID number",
        "otp": "One-time code",
        "otp_hint": "We sent a code to your phone. (Dev identity provider: 111111 always works.)",
        "pin": "PIN",
        "bio": "Capture fingerprint (simulated: always matches)",
        "wallet": "Approve in your wallet app (simulated: always approves)",
        "login": "Log in",
        "cancel": "Cancel",
        "consent_title": "Share your details",
        "consent_intro": "The service {client} asks for these details from your national ID record.",
        "required": "required",
        "allow": "Allow",
        "deny": "Do not share",
    },
    "fr": {
        "title": "Connectez-vous avec votre identité nationale",
        "id": "Numéro d'identification",
        "otp": "Code à usage unique",
        "otp_hint": "Nous avons envoyé un code sur votre téléphone. (Fournisseur de développement : 111111 fonctionne toujours.)",
        "pin": "Code PIN",
        "bio": "Capturer l'empreinte (simulé : toujours reconnue)",
        "wallet": "Approuver dans votre application portefeuille (simulé)",
        "login": "Se connecter",
        "cancel": "Annuler",
        "consent_title": "Partager vos informations",
        "consent_intro": "Le service {client} demande ces informations de votre dossier d'identité nationale.",
        "required": "obligatoire",
        "allow": "Autoriser",
        "deny": "Ne pas partager",
    },
    "ar": {
        "title": "سجّل الدخول بهويتك الوطنية",
        "id": "رقم الهوية",
        "otp": "رمز لمرة واحدة",
        "otp_hint": "أرسلنا رمزًا إلى هاتفك. (مزود التطوير: 111111 يعمل دائمًا.)",
        "pin": "الرقم السري",
        "bio": "التقاط البصمة (محاكاة: تتطابق دائمًا)",
        "wallet": "الموافقة في تطبيق المحفظة (محاكاة)",
        "login": "تسجيل الدخول",
        "cancel": "إلغاء",
        "consent_title": "مشاركة بياناتك",
        "consent_intro": "تطلب الخدمة {client} هذه البيانات من سجل هويتك الوطنية.",
        "required": "مطلوب",
        "allow": "سماح",
        "deny": "عدم المشاركة",
    },
}

CLAIM_LABELS = {
    "name": "Full name",
    "address": "Address",
    "gender": "Gender",
    "birthdate": "Date of birth",
    "picture": "Photo",
    "email": "Email address",
    "phone_number": "Phone number",
    "phone_number_verified": "Whether your phone number is verified",
    "individual_id": "National ID number",
    "registration_type": "Registration type",
    "updated_at": "When your record was last updated",
}


def _page(title: str, body: str, locale: str = "en", status: int = 200) -> Any:
    from flask import Response

    direction = "rtl" if locale == "ar" else "ltr"
    html = (
        f'<!doctype html><html lang="{locale}" dir="{direction}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><header>eSignet (dev identity provider)</header><main>{body}</main></body></html>"
    )
    return Response(html, status=status, mimetype="text/html")


def _error(error: str | None) -> str:
    return f'<p class="error" role="alert">{escape(error)}</p>' if error else ""


def login_page(tx: str, method: str, error: str | None, locale: str = "en") -> Any:
    t = TEXT[locale]
    if method in ("otp", "pin"):
        secret = (
            f'<label for="secret">{escape(t[method])}</label>'
            + (f'<p class="hint" id="secret-hint">{escape(t["otp_hint"])}</p>' if method == "otp" else "")
            + '<input type="password" id="secret" name="secret" inputmode="numeric" autocomplete="one-time-code" required>'
        )
        submit = t["login"]
    else:
        secret = '<input type="hidden" name="secret" value="">'
        submit = t[method]
    body = (
        f'<h1>{escape(t["title"])}</h1>{_error(error)}<form method="post">'
        f'<input type="hidden" name="tx" value="{escape(tx)}">'
        f'<label for="individual_id">{escape(t["id"])}</label>'
        '<input type="text" id="individual_id" name="individual_id" inputmode="numeric" autocomplete="username" required>'
        f"{secret}"
        f'<button type="submit" name="step" value="login">{escape(submit)}</button>'
        f'<button type="submit" name="step" value="cancel" class="secondary" formnovalidate>{escape(t["cancel"])}</button>'
        "</form>"
    )
    return _page(t["title"], body, locale)


def consent_page(tx: str, claims: list[tuple[str, bool]], client_id: str, locale: str = "en") -> Any:
    t = TEXT[locale]
    items = []
    for claim, essential in claims:
        label = escape(CLAIM_LABELS.get(claim, claim))
        if essential:
            items.append(f'<li><input type="checkbox" id="c-{claim}" checked disabled> <label for="c-{claim}">{label} ({escape(t["required"])})</label></li>')
        else:
            items.append(f'<li><input type="checkbox" id="c-{claim}" name="share" value="{escape(claim)}" checked> <label for="c-{claim}">{label}</label></li>')
    body = (
        f"<h1>{escape(t['consent_title'])}</h1><p>{escape(t['consent_intro'].format(client=client_id))}</p>"
        f'<form method="post"><input type="hidden" name="tx" value="{escape(tx)}"><input type="hidden" name="step" value="consent">'
        f"<ul>{''.join(items)}</ul>"
        f'<button type="submit" name="decision" value="allow">{escape(t["allow"])}</button>'
        f'<button type="submit" name="decision" value="deny" class="secondary">{escape(t["deny"])}</button></form>'
    )
    return _page(t["consent_title"], body, locale)


def staff_login_page(tx: str, staff: list[Any], error: str | None) -> Any:
    options = "".join(f'<option value="{escape(s.username)}">{escape(s.name)} ({escape(", ".join(s.roles))})</option>' for s in staff)
    body = (
        f'<h1>Staff sign-in</h1>{_error(error)}<form method="post">'
        f'<input type="hidden" name="tx" value="{escape(tx)}">'
        f'<label for="username">Staff user</label><select id="username" name="username">{options}</select>'
        '<label for="secret">Code</label><p class="hint">Dev identity provider: 111111 always works.</p>'
        '<input type="password" id="secret" name="secret" autocomplete="one-time-code" required>'
        '<button type="submit" name="step" value="login">Sign in</button>'
        '<button type="submit" name="step" value="cancel" class="secondary" formnovalidate>Cancel</button></form>'
    )
    return _page("Staff sign-in", body)


def message_page(title: str, message: str, status: int = 400) -> Any:
    return _page(title, f"<h1>{escape(title)}</h1><p>{escape(message)}</p>", status=status)
