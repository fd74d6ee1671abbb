"""What a reminder says (in the current language, `kit.i18n`), and where it leads."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from pembina.kit.i18n import tr
from pembina.kit.phones import wa_digits
from pembina.notifications.models import Notification

_MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def _date(d: date | None) -> str:
    if d is None:
        return ""
    return tr(f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}", f"{d.day} {_MONTHS_ID[d.month - 1]} {d.year}")


def _month(n: Notification) -> str:
    """The month an activity-report reminder is about (its occurrence starts with it: YYYY-MM)."""
    period = str((n.params or {}).get("period") or n.occurrence[:7])
    try:
        year, month = int(period[:4]), int(period[5:7])
    except ValueError:
        return period
    if not 1 <= month <= 12:
        return period
    return tr(f"{_MONTHS_EN[month - 1]} {year}", f"{_MONTHS_ID[month - 1]} {year}")


def _parent(code: str | None) -> str:
    return code.rsplit(".", 1)[0] if code and "." in code else (code or "")


def link(n: Notification) -> str:
    """The dashboard path of the record a reminder is about."""
    if n.record_kind == "region":  # the board of the level above, where the region is a row
        return f"/compliance/{_parent(n.region_code)}" if n.region_code and "." in n.region_code else "/compliance"
    if n.record_kind == "follow_up":
        meeting = (n.params or {}).get("meeting_id")
        return f"/meetings/{meeting}" if meeting else "/follow-ups"
    if n.record_kind == "posyandu":
        return f"/posyandu/{n.record_id}"
    if n.record_kind == "decree":
        return f"/decrees/{n.record_id}"
    if n.record_kind == "activity_reports":  # the district's board, with its missing list
        return f"/activity-reports/{n.region_code}" if n.region_code else "/activity-reports"
    if n.record_kind == "api_client":
        return "/api-clients"
    return "/tasks"


def title(n: Notification) -> str:
    name = n.title or ""
    due = _date(n.due_on)
    p = n.params or {}
    match n.rule:
        case "sk_deadline_early" | "sk_deadline_soon":
            return tr(f"SK TP Posyandu {name}: reporting deadline {due}", f"SK TP Posyandu {name}: batas pelaporan {due}")
        case "sk_deadline_passed":
            return tr(
                f"SK TP Posyandu {name} not reported: deadline {due} passed",
                f"SK TP Posyandu {name} belum dilaporkan: batas {due} terlewati",
            )
        case "follow_up_due_soon":
            return tr(f"Follow-up due {due}: {name}", f"Tindak lanjut jatuh tempo {due}: {name}")
        case "follow_up_overdue":
            return tr(f"Follow-up overdue since {due}: {name}", f"Tindak lanjut terlambat sejak {due}: {name}")
        case "posyandu_returned":
            if p.get("action") == "reject":
                return tr(f"Posyandu {name} rejected", f"Posyandu {name} ditolak")
            return tr(f"Posyandu {name} returned", f"Posyandu {name} dikembalikan")
        case "waiting_verification":
            what = tr("Decree", "SK") if n.record_kind == "decree" else "Posyandu"
            return tr(f"{what} {name} waits for your verification since {due}", f"{what} {name} menunggu verifikasi Anda sejak {due}")
        case "registration_issued":
            return tr(f"Posyandu {name}: registration number {p.get('number')}", f"Posyandu {name}: nomor registrasi {p.get('number')}")
        case "activity_report_due_soon":
            return tr(f"{name}: activity report for {_month(n)} due {due}", f"{name}: laporan kegiatan {_month(n)} paling lambat {due}")
        case "activity_report_overdue":
            return tr(
                f"{name}: activity report for {_month(n)} overdue since {due}",
                f"{name}: laporan kegiatan {_month(n)} terlambat sejak {due}",
            )
        case "activity_report_district_overdue":
            return tr(
                f"{name}: {p.get('missing', 0)} posyandu have not reported {_month(n)}",
                f"{name}: {p.get('missing', 0)} posyandu belum melaporkan kegiatan {_month(n)}",
            )
        case "weekly_digest":
            return tr("Weekly digest", "Ringkasan mingguan")
        case "webhook_disabled":
            return tr(f"Webhook disabled: {name}", f"Webhook dinonaktifkan: {name}")
    return name


def body(n: Notification) -> str:
    """The reminder's text: what to do."""
    p = n.params or {}
    match n.rule:
        case "sk_deadline_early" | "sk_deadline_soon" | "sk_deadline_passed":
            return tr(
                f"The SK TP Posyandu of {n.title} ({n.region_code}) has not been reported yet. Please issue it and report it to the "
                f"DPMPPA / Dinas PMD by {_date(n.due_on)}.",
                f"SK TP Posyandu {n.title} ({n.region_code}) belum dilaporkan. Mohon segera diterbitkan dan dilaporkan ke DPMPPA / "
                f"Dinas PMD paling lambat {_date(n.due_on)}.",
            )
        case "follow_up_due_soon" | "follow_up_overdue":
            return tr(
                f'Meeting follow-up "{n.title}" is due {_date(n.due_on)}: please complete it and record it as done.',
                f'Tindak lanjut rapat "{n.title}" jatuh tempo {_date(n.due_on)}: mohon diselesaikan dan dicatat selesai.',
            )
        case "posyandu_returned":
            reason = p.get("reason") or "-"
            return tr(
                f"Reason: {reason}. Complete what is missing and propose it again.",
                f"Alasan: {reason}. Lengkapi kekurangannya lalu usulkan kembali.",
            )
        case "waiting_verification":
            return tr(
                "It has waited more than the agreed days: please verify it or return it with a reason.",
                "Sudah menunggu melewati batas yang disepakati: mohon diverifikasi atau dikembalikan dengan alasan.",
            )
        case "registration_issued":
            return tr(
                f"The ministry issued Nomor Registrasi Posyandu {p.get('number')} to {n.title}.",
                f"Kementerian menerbitkan Nomor Registrasi Posyandu {p.get('number')} untuk {n.title}.",
            )
        case "activity_report_due_soon" | "activity_report_overdue":
            return tr(
                f"The monthly activity report of {n.title} for {_month(n)} has not been submitted yet (it was due "
                f"{_date(n.due_on)}). Please fill it in and submit it in Pembina."
                if n.rule == "activity_report_overdue"
                else f"The monthly activity report of {n.title} for {_month(n)} has not been submitted yet. Please fill it in "
                f"and submit it in Pembina by {_date(n.due_on)}.",
                f"Laporan kegiatan bulanan {n.title} bulan {_month(n)} belum dikirim (batasnya {_date(n.due_on)}). Mohon segera "
                "diisi dan dikirim di Pembina."
                if n.rule == "activity_report_overdue"
                else f"Laporan kegiatan bulanan {n.title} bulan {_month(n)} belum dikirim. Mohon diisi dan dikirim di Pembina "
                f"paling lambat {_date(n.due_on)}.",
            )
        case "activity_report_district_overdue":
            return tr(
                f"Of the {p.get('expected', 0)} active posyandu in {n.title}, {p.get('missing', 0)} (in {p.get('villages', 0)} "
                f"village(s)) have not submitted their activity report for {_month(n)}, due {_date(n.due_on)}. The activity "
                "report board lists them.",
                f"Dari {p.get('expected', 0)} posyandu aktif di {n.title}, {p.get('missing', 0)} posyandu (di "
                f"{p.get('villages', 0)} desa/kelurahan) belum mengirim laporan kegiatan {_month(n)} yang jatuh tempo "
                f"{_date(n.due_on)}. Daftarnya ada di papan laporan kegiatan.",
            )
        case "weekly_digest":
            return tr(
                "Late SK reports in your region: {late}. Overdue follow-ups: {fu}. Waiting for your verification: {dv} decree(s), "
                "{pv} posyandu. Changes in the last 7 days: {cd} decree step(s), {cp} registration step(s).",
                "SK terlambat dilaporkan di wilayah Anda: {late}. Tindak lanjut terlambat: {fu}. Menunggu verifikasi Anda: {dv} SK, "
                "{pv} posyandu. Perubahan 7 hari terakhir: {cd} langkah SK, {cp} langkah registrasi.",
                late=p.get("late_report", 0),
                fu=p.get("overdue_follow_up", 0),
                dv=p.get("decree_to_verify", 0),
                pv=p.get("posyandu_to_verify", 0),
                cd=p.get("changed_decrees", 0),
                cp=p.get("changed_posyandu", 0),
            )
        case "webhook_disabled":
            reason = p.get("reason") or "-"
            return tr(
                f"Deliveries to {n.title} kept failing, so the subscription was disabled ({reason}). Fix the receiver, then "
                "enable it again on the API clients page and redeliver what it missed.",
                f"Pengiriman ke {n.title} terus gagal, sehingga langganan dinonaktifkan ({reason}). Perbaiki penerimanya, lalu "
                "aktifkan kembali di halaman klien API dan kirim ulang yang terlewat.",
            )
    return ""


def whatsapp_url(text: str, phone: str | None = None) -> str:
    """A WhatsApp click-to-chat link with `text` prefilled: to `phone` (E.164), else for any contact."""
    return f"https://wa.me/{wa_digits(phone) if phone else ''}?text={quote(text)}"
