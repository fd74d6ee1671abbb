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
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, quote, unquote, urlsplit

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pembina.config import get_settings
from pembina.kit import i18n
from pembina.notifications import render
from pembina.notifications import rules as catalog
from pembina.notifications.models import Notification
from pembina.users.models import User

#: Attempts before an e-mail is given up (`failed`).
MAX_ATTEMPTS = 8
#: After the n-th failed attempt the next waits FIRST_RETRY * 2**(n-1), at most MAX_RETRY:
#: 5, 10, 20, 40, 80, 160, 320 min (the last attempt about 10.5 h after the first).
FIRST_RETRY = timedelta(minutes=5)
MAX_RETRY = timedelta(hours=6)
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


def retry_after(attempts: int) -> timedelta:
    """How long an e-mail waits after its `attempts`-th failed attempt (exponential, capped)."""
    delay: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_RETRY)


def _failed(n: Notification, exc: Exception, now: datetime) -> None:
    """Record a failed attempt on the outbox row: given up after MAX_ATTEMPTS, else retried later."""
    n.email_attempts += 1
    n.email_error = f"{type(exc).__name__}: {exc}"[:1000]
    if n.email_attempts >= MAX_ATTEMPTS:
        n.email_status, n.email_next_attempt_at = "failed", None
    else:
        n.email_next_attempt_at = now + retry_after(n.email_attempts)


def deliver(factory: Callable[[], Session], now: datetime) -> int:
    """Send the pending e-mails that are due, a claim of rows at a time (`FOR UPDATE SKIP
    LOCKED` on PostgreSQL, so that several workers never send one twice); the number sent.

    A failed attempt is written on its row (`email_attempts`, `email_error`) with when to try
    again (`email_next_attempt_at`, exponential backoff); after MAX_ATTEMPTS it is `failed`.
    When the server cannot be reached, or refuses a whole claim, the round stops there: the
    other e-mails wait for the next round instead of knocking on a closed door."""
    url = get_settings().smtp_url
    if not url:
        return 0
    smtp = Smtp.parse(url)
    sent = 0
    while True:
        with factory() as session:
            claim = session.scalars(
                select(Notification)
                .where(
                    Notification.email_status == "pending",
                    Notification.cancelled_at.is_(None),
                    or_(Notification.email_next_attempt_at.is_(None), Notification.email_next_attempt_at <= now),
                )
                .order_by(Notification.id)
                .limit(CLAIM)
                .with_for_update(skip_locked=True)
            ).all()
            if not claim:
                return sent
            emails = dict(session.execute(select(User.id, User.email).where(User.id.in_({n.user_id for n in claim}))).all())
            conn: smtplib.SMTP | None = None
            sent_here = failed_here = 0
            try:
                for n in claim:
                    to = emails.get(n.user_id)
                    if not to:
                        n.email_status = "none"
                        continue
                    if conn is None:
                        try:
                            conn = smtp.connect()
                        except (smtplib.SMTPException, OSError) as exc:
                            _failed(n, exc, now)  # the server is unreachable: one attempt counted, the rest wait
                            failed_here = len(claim)
                            break
                    try:
                        conn.send_message(message(n, to))
                    except (smtplib.SMTPException, OSError) as exc:
                        _failed(n, exc, now)
                        failed_here += 1
                        try:
                            conn.rset()
                        except (smtplib.SMTPException, OSError):
                            conn = None
                        continue
                    n.email_status, n.emailed_at, n.email_error, n.email_next_attempt_at = "sent", now, None, None
                    n.email_attempts += 1
                    sent += 1
                    sent_here += 1
            finally:
                if conn is not None:
                    try:
                        conn.quit()
                    except (smtplib.SMTPException, OSError):
                        pass
            session.commit()
            if failed_here and not sent_here:
                return sent  # the server refuses everything now: the rest waits for the next round
