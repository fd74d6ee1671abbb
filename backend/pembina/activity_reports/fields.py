"""What a monthly report asks per SPM field, and when it is due.

The questions of a field are its service catalog (`pembina.posyandu.catalog`: how many times each
service was held this month) followed by the field's usual measures (people served), unless
`PEMBINA_ACTIVITY_REPORT_FIELDS` replaces the field's questions. A report keeps the questions it
was created with, so a later change of the catalog never changes what an old report means.

A month's report is due on the configured working day of the next month
(`PEMBINA_ACTIVITY_REPORT_DUE_WORKING_DAY`, Indonesia's working days from lokal-id: weekends,
national holidays and cuti bersama; weekends alone for a year lokal-id has no holidays for), by the
end of that day in the offices' zone (`kit.clock`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from lokal.holidays import add_working_days

from pembina.config import get_settings
from pembina.kit import clock
from pembina.posyandu.catalog import SPM_BIT, SPM_FIELDS, catalog

#: YYYY-MM, a month from 2000 on.
PERIOD_PATTERN = r"^(20\d\d)-(0[1-9]|1[0-2])$"
_PERIOD = re.compile(PERIOD_PATTERN)

#: Beside the services: what each field usually measures (people served this month).
DEFAULT_MEASURES: dict[str, dict[str, str]] = {
    "kesehatan": {"balita_ditimbang": "Balita ditimbang", "ibu_hamil_dilayani": "Ibu hamil dilayani", "lansia_dilayani": "Lansia dilayani"},
    "pendidikan": {"anak_paud_hadir": "Anak hadir di kegiatan PAUD/BKB"},
    "sosial": {"warga_rentan_didampingi": "Warga rentan didampingi"},
    "trantibumlinmas": {"peserta_penyuluhan": "Peserta penyuluhan dan simulasi"},
    "perumahan_rakyat": {"rumah_didata": "Rumah didata"},
    "pekerjaan_umum": {"kk_dipantau": "Keluarga dipantau akses air dan sanitasi"},
}

#: The target groups a report counts (people reached this month).
TARGET_GROUPS: dict[str, str] = {"ibu_hamil": "Ibu hamil", "balita": "Balita", "lansia": "Lansia", "keluarga_miskin": "Keluarga miskin"}


def definitions() -> dict[str, dict[str, str]]:
    """The questions in force: per SPM field, code -> label."""
    override = get_settings().activity_report_fields or {}
    services = catalog()
    out: dict[str, dict[str, str]] = {}
    for f in SPM_FIELDS:
        if override.get(f):
            out[f] = dict(override[f])
        else:
            out[f] = {**services[f], **DEFAULT_MEASURES.get(f, {})}
    return out


def active_mask(counts: dict[str, dict[str, int]]) -> int:
    """A bit per field with some activity (a count above 0)."""
    mask = 0
    for f, values in counts.items():
        if f in SPM_BIT and any(v > 0 for v in values.values()):
            mask |= SPM_BIT[f]
    return mask


def parse_period(period: str) -> tuple[int, int]:
    m = _PERIOD.match(period)
    if m is None:
        raise ValueError(f"not a period (YYYY-MM): {period!r}")
    return int(m.group(1)), int(m.group(2))


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def shift(period: str, months: int) -> str:
    y, m = parse_period(period)
    n = y * 12 + (m - 1) + months
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def current_period() -> str:
    """The month of today in the offices' zone."""
    return period_of(clock.today())


def last_period() -> str:
    """The month being reported now: the one before today's."""
    return shift(current_period(), -1)


def due_date(period: str) -> date:
    """The configured working day of the month after `period`. For a year whose holidays lokal-id
    does not know yet (it raises), weekends alone are skipped."""
    y, m = parse_period(period)
    last_day = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    n = get_settings().activity_report_due_working_day
    try:
        return add_working_days(last_day, n)
    except ValueError:
        day = last_day
        while n:
            day += timedelta(days=1)
            n -= day.weekday() < 5
        return day


def on_time(submitted: datetime, due: date) -> bool:
    """Whether an instant falls by the end of `due` in the offices' zone (WIB by default)."""
    return clock.local(submitted) < datetime.combine(due + timedelta(days=1), time.min, tzinfo=clock.zone())
