"""E-mail: the outbox (`notifications.email_status = 'pending'`) delivered through the SMTP
server of `PEMBINA_SMTP_URL`, in Indonesian, as plain text and HTML, each with a link that
unsubscribes from its rule without logging in (a signed token)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, quote, unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.config import get_settings
from pembina.kit import i18n
from pembina.notifications import render
from pembina.notifications import rules as catalog
from pembina.notifications.models import Notification
from pembina.users.models import User

#: Attempts before an e-mail is given up (`failed`).
MAX_ATTEMPTS = 5
#: E-mails claimed per transaction (their rows stay locked while they are sent).
CLAIM = 100


# -- unsubscribe tokens -----------------------------------------------------------------------------


def _sign(payload: str) -> str:
    key = get_settings().signing_secret().encode()
    mac = hmac.new(key, b"unsubscribe:" + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode().rstrip("=")


def unsubscribe_token(user_id: int, rule: str) -> str:
    """A token that stops `rule`'s e-mails to the account, usable without logging in."""
    payload = f"{user_id}.{rule}"
    return f"{payload}.{_sign(payload)}"


def read_token(token: str) -> tuple[int, str] | None:
    """(account id, rule) of a genuine token; None otherwise."""
    payload, _, mac = token.rpartition(".")
    uid, _, rule = payload.partition(".")
    if not uid.isdigit() or rule not in catalog.DEFAULTS or not hmac.compare_digest(mac, _sign(payload)):
        return None
    return int(uid), rule


def public_url() -> str:
    s = get_settings()
    return (s.public_url or s.public_origin.split(",")[0].strip() or "http://127.0.0.1:8000").rstrip("/")


# -- the SMTP connection --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    tls: bool  # TLS from the first byte (smtps)
    starttls: str  # auto | required | off
    user: str | None
    password: str | None

    @classmethod
    def parse(cls, url: str) -> Smtp:
        u = urlsplit(url)
        if u.scheme not in ("smtp", "smtps") or not u.hostname:
            raise ValueError("PEMBINA_SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465")
        starttls = parse_qs(u.query).get("starttls", ["auto"])[0]
        return cls(
            host=u.hostname,
            port=u.port or (465 if u.scheme == "smtps" else 587),
            tls=u.scheme == "smtps",
            starttls="off" if u.scheme == "smtps" else starttls,
            user=unquote(u.username) if u.username else None,
            password=unquote(u.password) if u.password else None,
        )

    def connect(self) -> smtplib.SMTP:
        timeout = get_settings().smtp_timeout
        context = ssl.create_default_context()
        conn: smtplib.SMTP
        if self.tls:
            conn = smtplib.SMTP_SSL(self.host, self.port, timeout=timeout, context=context)
        else:
            conn = smtplib.SMTP(self.host, self.port, timeout=timeout)
            conn.ehlo()
            if self.starttls == "required" or (self.starttls == "auto" and conn.has_extn("starttls")):
                conn.starttls(context=context)
                conn.ehlo()
        if self.user:
            conn.login(self.user, self.password or "")
        return conn


# -- the message --------------------------------------------------------------------------------------


def message(n: Notification, to: str) -> EmailMessage:
    """The e-mail of a reminder, in Indonesian: plain text and HTML, with its unsubscribe link."""
    token = i18n.use("id")
    try:
        subject, text = render.title(n), render.body(n)
        rule_label = catalog.rule(n.rule).label_id
        open_label, stop_label = "Buka di Pembina", f'Berhenti menerima e-mail "{rule_label}"'
    finally:
        i18n.reset(token)
    base = public_url()
    target = base + render.link(n)
    unsubscribe = f"{base}/api/v1/notifications/unsubscribe?token={quote(unsubscribe_token(n.user_id, n.rule))}"
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = get_settings().mail_from
    msg["To"] = to
    msg["Message-ID"] = make_msgid(idstring=f"pembina-notification-{n.id}")
    msg["List-Unsubscribe"] = f"<{unsubscribe}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Content-Language"] = "id"
    msg.set_content(f"{subject}\n\n{text}\n\n{open_label}: {target}\n\n--\n{stop_label}: {unsubscribe}\n")
    e = html.escape
    msg.add_alternative(
        f'<!doctype html><html lang="id"><body style="font-family:sans-serif">'
        f"<h2>{e(subject)}</h2><p>{e(text)}</p>"
        f'<p><a href="{e(target)}">{e(open_label)}</a></p>'
        f'<hr><p style="font-size:small"><a href="{e(unsubscribe)}">{e(stop_label)}</a></p></body></html>',
        subtype="html",
    )
    return msg


def deliver(factory: Callable[[], Session], now: datetime) -> int:
    """Send the pending e-mails, a claim of rows at a time (`FOR UPDATE SKIP LOCKED` on
    PostgreSQL, so that several workers never send one twice); the number sent."""
    url = get_settings().smtp_url
    if not url:
        return 0
    smtp = Smtp.parse(url)
    sent = 0
    while True:
        with factory() as session:
            claim = session.scalars(
                select(Notification)
                .where(Notification.email_status == "pending", Notification.cancelled_at.is_(None))
                .order_by(Notification.id)
                .limit(CLAIM)
                .with_for_update(skip_locked=True)
            ).all()
            if not claim:
                return sent
            emails = dict(session.execute(select(User.id, User.email).where(User.id.in_({n.user_id for n in claim}))).all())
            conn: smtplib.SMTP | None = None
            try:
                for n in claim:
                    to = emails.get(n.user_id)
                    if not to:
                        n.email_status = "none"
                        continue
                    try:
                        if conn is None:
                            conn = smtp.connect()
                        conn.send_message(message(n, to))
                    except (smtplib.SMTPException, OSError) as exc:
                        n.email_attempts += 1
                        n.email_error = str(exc)[:1000]
                        if n.email_attempts >= MAX_ATTEMPTS:
                            n.email_status = "failed"
                        conn = None
                        continue
                    n.email_status, n.emailed_at, n.email_error = "sent", now, None
                    sent += 1
            finally:
                if conn is not None:
                    try:
                        conn.quit()
                    except (smtplib.SMTPException, OSError):
                        pass
            session.commit()
            if all(n.email_status == "pending" for n in claim):
                return sent  # the server refuses everything now: try again next round
