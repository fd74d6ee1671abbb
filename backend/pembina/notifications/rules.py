"""The reminder rules: what fires, for whom, when. Defaults here; each deployment may change
them with `PEMBINA_NOTIFICATION_RULES` (JSON, per rule code: enabled, days, working_days,
every_days). Working days are Indonesia's (weekends, national holidays and cuti bersama) from
the `lokal-id` package."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from lokal.holidays import add_working_days

from pembina.config import get_settings


@dataclass(frozen=True)
class Rule:
    code: str
    #: who gets it, in words (the contract and the preferences page show it)
    audience: str
    label_en: str
    label_id: str
    enabled: bool = True
    #: days before (or after) the date the rule counts from; 0: none
    days: int = 0
    #: count `days` in working days
    working_days: bool = False
    #: repeat every this many days while the problem lasts; 0: once
    every_days: int = 0
    #: the region levels whose accounts it can reach (1 province ... 4 village; 0 the national
    #: accounts), for the preferences page; None: every account
    levels: tuple[int, ...] | None = None

    def shift(self, day: date, days: int) -> date:
        """`day` moved by `days` (negative: back), in working days where the rule says so. For a
        year whose holidays lokal-id does not know yet (it raises), weekends alone are skipped."""
        if not self.working_days:
            return day + timedelta(days=days)
        try:
            return add_working_days(day, days)
        except ValueError:
            step = 1 if days >= 0 else -1
            left = abs(days)
            while left:
                day += timedelta(days=step)
                left -= day.weekday() < 5
            return day


REGION_AND_ABOVE = "the accounts of the responsible region and the coordinators one level above"

DEFAULTS: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule("sk_deadline_early", REGION_AND_ABOVE, "SK reporting deadline in 14 days", "Batas pelaporan SK 14 hari lagi", days=14),
        Rule(
            "sk_deadline_soon",
            REGION_AND_ABOVE,
            "SK reporting deadline in 3 days",
            "Batas pelaporan SK 3 hari lagi",
            days=3,
            working_days=True,
        ),
        Rule(
            "sk_deadline_passed",
            REGION_AND_ABOVE,
            "SK reporting deadline passed (then weekly while late)",
            "Batas pelaporan SK terlewati (lalu tiap minggu selama terlambat)",
            every_days=7,
        ),
        Rule(
            "follow_up_due_soon",
            REGION_AND_ABOVE,
            "Follow-up due in 3 days",
            "Tindak lanjut jatuh tempo 3 hari lagi",
            days=3,
            working_days=True,
        ),
        Rule("follow_up_overdue", REGION_AND_ABOVE, "Follow-up overdue", "Tindak lanjut terlambat"),
        Rule(
            "posyandu_returned",
            "the accounts of the posyandu's village",
            "Posyandu returned or rejected",
            "Posyandu dikembalikan atau ditolak",
        ),
        Rule(
            "waiting_verification",
            "the coordinators who may verify it (the nearest level above)",
            "A posyandu or decree waiting for my verification for more than 7 days",
            "Posyandu atau SK menunggu verifikasi saya lebih dari 7 hari",
            days=7,
        ),
        Rule("registration_issued", REGION_AND_ABOVE, "Registration number issued", "Nomor registrasi diterbitkan"),
        Rule("weekly_digest", "each coordinator (regency/city, province, national)", "Weekly digest", "Ringkasan mingguan", every_days=7),
        Rule(
            "activity_report_due_soon",
            "the accounts of the posyandu's village",
            "Monthly activity report not yet submitted, due in 3 working days",
            "Laporan kegiatan bulanan belum dikirim, batas 3 hari kerja lagi",
            days=3,
            working_days=True,
            levels=(4,),
        ),
        Rule(
            "activity_report_overdue",
            "the accounts of the posyandu's village",
            "Monthly activity report overdue (then weekly until the next month's due date)",
            "Laporan kegiatan bulanan terlambat (lalu tiap minggu sampai batas bulan berikutnya)",
            every_days=7,
            levels=(4,),
        ),
        Rule(
            "activity_report_district_overdue",
            "the accounts of the district (one notice per district: how many of its posyandu have not reported)",
            "Posyandu in my district that have not reported last month's activities (then weekly)",
            "Posyandu di kecamatan saya yang belum melaporkan kegiatan bulan lalu (lalu tiap minggu)",
            every_days=7,
            levels=(3,),
        ),
        Rule(
            "webhook_disabled",
            "the owner of the API client (the account that created it; when it is gone, the national admins)",
            "A webhook subscription disabled after repeated failure",
            "Langganan webhook dinonaktifkan setelah gagal berulang",
        ),
    )
}

#: The rules fired by a missing SK report (cancelled together once it is reported).
SK_RULES = ("sk_deadline_early", "sk_deadline_soon", "sk_deadline_passed")
FOLLOW_UP_RULES = ("follow_up_due_soon", "follow_up_overdue")
#: The rules fired by a posyandu's missing monthly activity report (cancelled once it is submitted).
ACTIVITY_REPORT_RULES = ("activity_report_due_soon", "activity_report_overdue")
CHANNELS = ("in_app", "email", "whatsapp")
#: The digest's day when an account has not chosen one (0 Monday).
DEFAULT_DIGEST_WEEKDAY = 0


def rules() -> dict[str, Rule]:
    """Every rule with this deployment's changes (`PEMBINA_NOTIFICATION_RULES`)."""
    out = dict(DEFAULTS)
    for code, change in get_settings().notification_rules.items():
        if code in out:
            fields = {k: v for k, v in change.items() if k in ("enabled", "days", "working_days", "every_days")}
            out[code] = replace(out[code], **fields)  # type: ignore[arg-type]
    return out


def rule(code: str) -> Rule:
    return rules()[code]
