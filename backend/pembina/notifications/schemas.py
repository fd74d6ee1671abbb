from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, model_validator

from pembina.kit.errors import ValidationProblem


class NotificationRead(BaseModel):
    id: int
    rule: str = Field(description="The rule that made it (GET /notifications/preferences lists them).")
    title: str
    body: str
    link: str = Field(description="The dashboard path of the record it is about, e.g. /decrees/12.")
    record_kind: str | None = Field(
        description="region | decree | posyandu | follow_up | digest | api_client | activity_reports (a district's posyandu that have not reported)"
    )
    record_id: int | None
    region_code: str | None
    due_on: date | None
    created_at: datetime
    read: bool
    read_at: datetime | None
    email_status: str = Field(description="none | pending | sent | failed | cancelled")
    whatsapp_url: str | None = Field(
        description="https://wa.me/... with the reminder prefilled (to the responsible region's contact when you may see it); "
        "null when you turned WhatsApp off for the rule."
    )


class NotificationPage(BaseModel):
    items: list[NotificationRead]
    total: int
    unread: int = Field(description="Your unread notifications, over all pages (the bell's count).")
    limit: int
    offset: int


class MarkRead(BaseModel):
    ids: list[int] = Field(default_factory=list, max_length=500, description="These notifications (yours) ...")
    all: bool = Field(default=False, description="... or every one of yours.")

    @model_validator(mode="after")
    def _something(self) -> MarkRead:
        if not self.ids and not self.all:
            raise ValidationProblem(
                "Name the notifications (ids) or set all.", "Sebutkan notifikasinya (ids) atau isi all.", loc=["body", "ids"]
            )
        return self


class ReadResult(BaseModel):
    marked: int
    unread: int


class RulePreference(BaseModel):
    rule: str
    in_app: bool = True
    email: bool = True
    whatsapp: bool = True


class RuleInfo(RulePreference):
    label: str
    audience: str
    enabled: bool = Field(description="Whether this deployment runs the rule at all (PEMBINA_NOTIFICATION_RULES).")
    days: int
    working_days: bool


class Preferences(BaseModel):
    rules: list[RuleInfo]
    digest_weekday: int = Field(ge=0, le=6, description="The weekly digest's day: 0 Monday ... 6 Sunday.")
    email: str | None = Field(description="Where your e-mails go (your account's address).")
    email_configured: bool = Field(description="Whether this deployment sends e-mail at all (PEMBINA_SMTP_URL).")


class PreferencesUpdate(BaseModel):
    rules: list[RulePreference] = Field(default_factory=list, max_length=50)
    digest_weekday: int | None = Field(default=None, ge=0, le=6, strict=True)  # a number, never "3" or true
