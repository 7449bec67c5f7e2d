"""The small page a browser sees when a login cannot finish: what happened, and a way to try again.

Browsers reach the login and callback routes by navigation, so a JSON error would be a dead
end for a person. When the request accepts HTML, the error is rendered here (same status and
code as the JSON error) in English, French or Arabic; other clients get the usual JSON.
"""

from __future__ import annotations

from html import escape

from chalice import Response

from chalicelib.errors import PortalError
from chalicelib.pages import inline_page, style_csp

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0;color:#0b0c0c;background:#fff}"
    "main{max-width:40rem;margin:3rem auto;padding:0 1rem}h1{font-size:1.75rem}"
    "p{font-size:1.1rem;line-height:1.5}a.button{display:inline-block;background:#00703c;color:#fff;"
    "padding:.6rem 1rem;text-decoration:none;font-weight:600;margin-inline-end:1rem}"
    "a:focus{outline:3px solid #fd0;outline-offset:0}small{color:#505a5f}"
)
CSP = style_csp(_STYLE)

# What happened, by kind of failure; each code below maps to one kind.
_KINDS = {
    "login_cancelled": "cancelled",
    "login_expired": "expired",
    "login_state_unknown": "expired",
    "login_state_missing": "expired",
    "login_not_started_here": "expired",
    "provider_unavailable": "unavailable",
    "unknown_provider": "not_offered",
    "unknown_method": "not_offered",
    "return_to_not_allowed": "bad_link",
}

_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "cancelled": ("You cancelled the login", "Nothing was shared with the portal. You can try again whenever you are ready."),
        "expired": (
            "This login has expired",
            "A login must be finished within a few minutes, in the browser where it started, and works only once. Please start again.",
        ),
        "unavailable": ("The identity provider is not answering", "This is not a problem with your details. Please try again in a few minutes."),
        "not_offered": ("This way of logging in is not available", "Go back to the portal and choose another way to log in."),
        "bad_link": ("This link cannot be used to log in", "Go to the portal's home page and log in from there."),
        "failed": (
            "We could not log you in",
            "The answer from the identity provider could not be verified. Please try again. If this keeps happening, contact the help desk.",
        ),
        "_try_again": ("Try again", "Back to the portal"),
        "_code": ("Error code", ""),
    },
    "fr": {
        "cancelled": ("Vous avez annulé la connexion", "Rien n'a été transmis au portail. Vous pouvez réessayer quand vous le souhaitez."),
        "expired": (
            "Cette connexion a expiré",
            "Une connexion doit être terminée en quelques minutes, dans le navigateur où elle a commencé, et ne sert qu'une fois. Veuillez recommencer.",
        ),
        "unavailable": (
            "Le fournisseur d'identité ne répond pas",
            "Le problème ne vient pas de vos informations. Veuillez réessayer dans quelques minutes.",
        ),
        "not_offered": ("Ce mode de connexion n'est pas disponible", "Revenez au portail et choisissez un autre mode de connexion."),
        "bad_link": ("Ce lien ne permet pas de se connecter", "Allez sur la page d'accueil du portail et connectez-vous depuis celle-ci."),
        "failed": (
            "Nous n'avons pas pu vous connecter",
            "La réponse du fournisseur d'identité n'a pas pu être vérifiée. Veuillez réessayer. Si cela se reproduit, contactez l'assistance.",
        ),
        "_try_again": ("Réessayer", "Retour au portail"),
        "_code": ("Code d'erreur", ""),
    },
    "ar": {
        "cancelled": ("لقد ألغيت تسجيل الدخول", "لم تتم مشاركة أي شيء مع البوابة. يمكنك المحاولة مرة أخرى متى شئت."),
        "expired": (
            "انتهت صلاحية تسجيل الدخول هذا",
            "يجب إكمال تسجيل الدخول خلال بضع دقائق وفي المتصفح نفسه الذي بدأ فيه، ولا يصلح إلا مرة واحدة. يرجى البدء من جديد.",
        ),
        "unavailable": ("مزود الهوية لا يستجيب", "المشكلة ليست في بياناتك. يرجى المحاولة مرة أخرى بعد بضع دقائق."),
        "not_offered": ("طريقة تسجيل الدخول هذه غير متاحة", "عد إلى البوابة واختر طريقة أخرى لتسجيل الدخول."),
        "bad_link": ("لا يمكن استخدام هذا الرابط لتسجيل الدخول", "انتقل إلى الصفحة الرئيسية للبوابة وسجّل الدخول من هناك."),
        "failed": ("تعذر تسجيل دخولك", "تعذر التحقق من رد مزود الهوية. يرجى المحاولة مرة أخرى. إذا تكرر ذلك، فاتصل بمكتب المساعدة."),
        "_try_again": ("حاول مرة أخرى", "العودة إلى البوابة"),
        "_code": ("رمز الخطأ", ""),
    },
}


def wants_html(accept: str | None) -> bool:
    return "text/html" in (accept or "").lower()


def choose_locale(accept_language: str | None) -> str:
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in _TEXT:
            return tag
    return "en"


def error_page(error: PortalError, retry_url: str, locale: str, extra_headers: dict[str, str] | None = None) -> Response:
    texts = _TEXT[locale]
    title, explanation = texts[_KINDS.get(error.code, "failed")]
    try_again, back = texts["_try_again"]
    body = (
        f"<main><h1>{escape(title)}</h1><p>{escape(explanation)}</p>"
        f'<p><a class="button" href="{escape(retry_url)}">{escape(try_again)}</a><a href="/">{escape(back)}</a></p>'
        f"<p><small>{escape(texts['_code'][0])}: {escape(error.code)}</small></p></main>"
    )
    direction = "rtl" if locale == "ar" else "ltr"
    return inline_page(body, title=title, style=_STYLE, lang=locale, direction=direction, status=error.status, headers=extra_headers)
