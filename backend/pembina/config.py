"""The one settings object. Everything environment-dependent is read here and nowhere else."""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PEMBINA_", env_file=".env", extra="ignore")

    #: SQLAlchemy URL. SQLite (a file under var/) is the embedded default; set
    #: DATABASE_URL=postgresql+psycopg://user@host/db for PostgreSQL.
    database_url: str = Field(default=f"sqlite:///{PROJECT_ROOT / 'var' / 'pembina.sqlite3'}", validation_alias="DATABASE_URL")
    #: HS256 signing secret for access tokens. No working default: when unset, a random
    #: secret is generated per process (tokens then die with the process) and a warning
    #: is logged; `make run` writes a persistent one to var/secret.key.
    jwt_secret: str = Field(default="", repr=False)
    jwt_algorithm: str = "HS256"
    jwt_audience: str = "pembina-api"
    jwt_issuer: str = "pembina"
    access_token_minutes: int = 30
    #: Personal data is kept only as long as needed (UU 27/2022; `pembina prune`): audit events
    #: (with their snapshots) for this many days (5 years), an account's last login for this many.
    audit_retention_days: int = Field(default=1826, ge=1)
    login_retention_days: int = Field(default=365, ge=1)
    #: Login (and password-change) attempts allowed per account, per moving window. Every
    #: attempt counts before its password is checked; a successful login clears the account's count.
    login_rate_limit: str = "10/minute"
    #: Login attempts allowed per client address, whatever the account (an office behind one
    #: NAT address shares it: high enough for everyone's typos, low enough to stop a sweep).
    login_rate_limit_address: str = "100/minute"
    #: Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed
    #: (comma-separated IPs or CIDRs, "*" for any; passed to uvicorn's forwarded_allow_ips).
    #: Empty: no proxy is trusted and the client address is the TCP peer's.
    trusted_proxies: str = ""
    #: `pembina serve` logs one line per request (uvicorn's access log); turn off where a
    #: reverse proxy logs them already (formatting the line is about 4% of a request's time).
    access_log: bool = True
    #: Database connection pool (file SQLite and PostgreSQL): connections kept, extra ones
    #: allowed under load, and seconds a request waits for one before a 503 with Retry-After.
    db_pool_size: int = Field(default=10, ge=1)
    db_pool_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout: float = Field(default=10.0, gt=0)
    #: Storage for rate-limit counters ("memory://" or e.g. "redis://127.0.0.1:6379").
    rate_limit_storage: str = "memory://"
    #: Mark the browser cookie Secure (turn on behind HTTPS).
    cookie_secure: bool = False
    cookie_name: str = "pembina_session"
    #: The dashboard's public origin(s), e.g. "https://pembina.example.go.id" (several separated
    #: by commas, e.g. a Vite dev server's). A write authenticated by the session cookie must
    #: carry one of them in Origin (or Referer); empty: the request's own scheme and Host.
    public_origin: str = ""
    #: Built dashboard assets served at "/" when present.
    frontend_dist: Path = PROJECT_ROOT / "frontend" / "dist"
    #: Argon2id parameters (OWASP: 19 MiB, 2 iterations, 1 lane).
    argon2_memory_kib: int = 19 * 1024
    argon2_time_cost: int = 2
    argon2_parallelism: int = 1
    #: Posyandu strata (tingkat perkembangan), in order. JSON list in PEMBINA_POSYANDU_STRATA.
    posyandu_strata: list[str] = ["pratama", "madya", "purnama", "mandiri"]
    #: Services a posyandu may run per SPM field: JSON {field: {code: label}}; fields left out
    #: keep the default checklist (pembina.posyandu.catalog.DEFAULT_CATALOG).
    posyandu_service_catalog: dict[str, dict[str, str]] = {}
    #: Monthly activity reports (pembina.activity_reports): the questions per SPM field, JSON
    #: {field: {code: label}}; fields left out ask the field's service catalog (each service: how
    #: many times it was held) plus the field's usual measures (activity_reports.fields).
    activity_report_fields: dict[str, dict[str, str]] = {}
    #: A month's report is due on this working day of the next month (Indonesia's working days:
    #: weekends, national holidays and cuti bersama, from lokal-id), by the end of that day (office zone).
    activity_report_due_working_day: int = Field(default=10, ge=1, le=20)
    #: Who accepts (or returns) a submitted report: `village` (the village's own operator or anyone
    #: above) or `district` (a district operator or anyone above; never the village itself).
    activity_report_acceptor: Literal["village", "district"] = "district"
    #: Readiness for registration: at least this many pengurus + kader together.
    posyandu_min_pengurus_kader: int = 15
    #: Largest request body of any request (JSON, forms...), in bytes (1 MiB), enforced while
    #: the body streams in, before authentication: more is a 413. The upload operations keep
    #: their own caps (the *_max_bytes settings below, plus 64 KiB of multipart framing).
    body_max_bytes: int = Field(default=1024 * 1024, ge=1024)
    #: The file store: uploaded files' bytes (decree scans, posyandu documents, meeting
    #: attachments, report photos), content-addressed (`ab/cd/<sha256>`), outside the database.
    #: Every app process and the worker must see the same directory; backups carry the files.
    files_dir: Path = PROJECT_ROOT / "var" / "files"
    #: Monthly activity reports: largest photo accepted (JPEG or PNG), and most photos per report.
    activity_report_photo_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    activity_report_photo_max_count: int = Field(default=6, ge=1, le=50)
    #: Evidence documents: largest accepted upload.
    posyandu_document_max_bytes: int = 10 * 1024 * 1024
    #: Registration batch number files (XLSX/CSV): largest accepted upload.
    registration_import_max_bytes: int = 5 * 1024 * 1024
    #: Optional check of Nomor Registrasi Posyandu values (a regular expression that must match
    #: the whole number); empty: numbers are stored as given. `{region}` in it stands for the
    #: posyandu's own village code as written in Pembina (`33.75.02.1008`), `{region_digits}` for
    #: the same without dots (`3375021008`): a number issued or imported for another village's
    #: posyandu is then refused. The seeds do not say what the ministry's numbers look like, so
    #: the check is off unless set.
    registration_number_pattern: str = ""
    #: Registration follows the SK: a posyandu is proposed only once its village's SK TP
    #: Posyandu is reported (the compliance rule: a TP Posyandu and the SK that forms it).
    registration_requires_sk: bool = True
    #: Largest decree (SK) scan accepted, in bytes (10 MiB).
    decree_file_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    #: Largest meeting attachment (invitation, minutes scan, attendance list, photo) accepted, in
    #: bytes (10 MiB).
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    #: Most rows one export (XLSX/CSV of a list) may hold; more is a 422 asking to narrow the filters.
    export_max_rows: int = Field(default=50_000, ge=1)
    #: Largest spreadsheet accepted by /imports (100 MiB).
    import_max_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    #: Largest unpacked XML (worksheets and shared strings) of an XLSX import (512 MiB).
    #: python-calamine reads a whole sheet into memory (about 1.7 times this XML), so this
    #: bounds an XLSX import's memory; CSV files are read as a stream and have no such limit.
    import_max_xlsx_xml_bytes: int = Field(default=512 * 1024 * 1024, ge=1024)
    #: Most rows, columns and cells (rows x columns of the sheet's extent) an uploaded workbook's
    #: first sheet may span, declared (`<dimension>`) or actual; checked on the streamed XML before
    #: the sheet is parsed. Excel's own maximum is 1,048,576 rows by 16,384 columns.
    import_max_rows: int = Field(default=500_000, ge=1)
    import_max_columns: int = Field(default=200, ge=1)
    import_max_cells: int = Field(default=20_000_000, ge=1)
    #: Deepest XML nesting accepted in a workbook's parts (a real sheet nests fewer than 10 levels).
    spreadsheet_max_xml_depth: int = Field(default=100, ge=8)
    #: Uploaded workbooks (imports, registration numbers) are parsed in a child process with
    #: these limits: address space (2 GiB; a 300,000-row import needs about 1 GiB), processor
    #: seconds, and wall-clock seconds before it is killed. Past any of them the file is refused
    #: ("The file cannot be read: ...", 422) and the server keeps serving.
    spreadsheet_parse_memory_bytes: int = Field(default=2 * 1024 * 1024 * 1024, ge=64 * 1024 * 1024)
    spreadsheet_parse_cpu_seconds: int = Field(default=120, ge=1)
    spreadsheet_parse_timeout_seconds: int = Field(default=180, ge=1)
    #: Workbooks parsed at once by one server process (each child up to the memory above);
    #: further uploads wait their turn (at most the timeout above, then a 503).
    spreadsheet_parse_concurrency: int = Field(default=2, ge=1)
    #: The offices' time zone (an IANA name): every "today", due date and overdue follow-up, and
    #: the times shown in exports, are in it (pembina.kit.clock). Instants are stored in UTC.
    timezone: str = "Asia/Jakarta"
    #: Reminders (pembina.notifications.rules): per rule code, what to change of its defaults,
    #: as JSON, e.g. {"sk_deadline_early": {"days": 21}, "follow_up_due_soon": {"working_days": false},
    #: "waiting_verification": {"enabled": false}}. Keys: enabled, days, working_days, every_days.
    notification_rules: dict[str, dict[str, int | bool]] = {}
    #: The SMTP server reminders are e-mailed through: smtp://user:password@host:587 (STARTTLS when
    #: the server offers it; `?starttls=required` insists), smtps://host:465 (TLS from the start),
    #: smtp://host:25?starttls=off (plain, a local relay). Empty: no e-mail is sent (in-app only).
    smtp_url: str = Field(default="", repr=False)
    #: The From: of reminder e-mails.
    mail_from: str = "Pembina <pembina@localhost>"
    #: Seconds an SMTP connection may wait.
    smtp_timeout: float = Field(default=20.0, gt=0)
    #: Where the dashboard is reached from outside (links in e-mails); empty: the first of
    #: PEMBINA_PUBLIC_ORIGIN, else http://127.0.0.1:8000.
    public_url: str = ""
    #: `pembina serve` runs the reminder worker in a thread of its own beside the server (a
    #: single-process deployment needs nothing else); turn off where `pembina worker` runs apart.
    worker_embedded: bool = True
    #: Seconds between two rounds of the worker (evaluate the rules, then deliver).
    worker_interval_seconds: float = Field(default=60.0, gt=0)
    #: Rows a worker inserts, or e-mails it claims, per transaction (short transactions never
    #: hold the database from API requests for long).
    worker_batch_size: int = Field(default=5_000, ge=1)
    #: Webhooks (pembina.webhooks): let subscriptions name private, loopback or link-local
    #: addresses (a receiver on the same machine or network). Off: such URLs are refused when a
    #: subscription is saved and again at every delivery (after the name is resolved).
    webhook_allow_private_urls: bool = False
    #: Seconds a receiver has to answer one delivery attempt.
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    #: Retries back off exponentially (1 min, 3 min, 9 min, ... x3) while the next attempt falls
    #: within this many hours of the first; then the delivery has failed for good.
    webhook_retry_hours: float = Field(default=24.0, gt=0)
    #: A subscription whose last this-many deliveries all failed for good is disabled (and the
    #: client's owner is told through the audit trail).
    webhook_disable_after: int = Field(default=3, ge=1)

    @field_validator("registration_number_pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:  # with the placeholders filled in as pembina.posyandu.registration.common fills them
            re.compile(v.replace("{region}", re.escape("33.75.02.1008")).replace("{region_digits}", "3375021008"))
        except re.error as e:
            raise ValueError(f"PEMBINA_REGISTRATION_NUMBER_PATTERN is not a regular expression: {e}") from None
        return v

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, v: str) -> str:
        # Accept the common libpq-style scheme and use psycopg 3.
        for prefix in ("postgres://", "postgresql://"):
            if v.startswith(prefix):
                return "postgresql+psycopg://" + v[len(prefix) :]
        return v

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r} (an IANA name such as Asia/Jakarta)") from None
        return v

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def signing_secret(self) -> str:
        global _EPHEMERAL_SECRET
        if self.jwt_secret:
            return self.jwt_secret
        if _EPHEMERAL_SECRET is None:
            import logging

            logging.getLogger("pembina").warning(
                "PEMBINA_JWT_SECRET is not set: using a random per-process secret; "
                "tokens will not survive a restart nor be shared between workers."
            )
            _EPHEMERAL_SECRET = secrets.token_urlsafe(48)
        return _EPHEMERAL_SECRET


_EPHEMERAL_SECRET: str | None = None


@lru_cache
def get_settings() -> Settings:
    return Settings()
