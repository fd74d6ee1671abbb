"""Demo budgets and work programs from the seed articles (shared/seeds). Idempotent.

* Kalimantan Tengah (62), rakor of 1 December 2025: "anggaran tim pembina Posyandu tahun 2025
  adalah sebesar 1 miliar rupiah, dan sekitar 70% dari anggaran tersebut akan digunakan untuk
  pembinaan Posyandu". The source is not named: `other`. One allocation, Pembinaan Posyandu,
  Rp 700,000,000 ("sekitar 70%": the exact figure is not published). No realizations: the
  seed gives none.
* Kota Pekalongan (33.75), Rakornas 2025: "tahun ini Kota Pekalongan mendapat anggaran
  perubahan untuk tim pembina posyandu tingkat kota" - an APBD Perubahan 2025 budget of the
  city team, amount not published (total null). The secretary also says "Kami sudah menyusun
  program kerja" with the three pilot posyandu: one work program, in progress.
* Kota Serang (36.73), rakor of 21 April 2025: "bersumber dari Dana Alokasi Khusus (DAK) Non
  Fisik Tahun Anggaran 2025" - a DAK Non Fisik 2025 budget of the city team, amount not
  published; the rakor itself as a done work program.
People in charge are offices named in the seeds, not people.
Sources (`kit.seeds`): the budgets are the seeds'; the Rp 700,000,000 allocation ("sekitar 70%")
and the work programs whose status or title the demo chose are illustrative.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.budgets import counters
from pembina.kit import seeds
from pembina.budgets.models import Budget, BudgetAllocation
from pembina.teams.models import Team
from pembina.work_programs.models import WorkProgram, WorkProgramAllocation

YEAR = 2025


def _team(session: Session, region_code: str) -> Team | None:
    return session.scalar(select(Team).where(Team.region_code == region_code, Team.kind == "tp_posyandu"))


def _budget(session: Session, team: Team, source: str, total: int | None, notes: str) -> tuple[Budget, bool]:
    budget = session.scalar(select(Budget).where(Budget.team_id == team.id, Budget.fiscal_year == YEAR, Budget.source == source))
    if budget is not None:
        return budget, False
    assert team.region_code is not None, "the demo's budgets are regional teams'"
    budget = Budget(team_id=team.id, region_code=team.region_code, fiscal_year=YEAR, source=source, total_amount=total, notes=notes)
    session.add(budget)
    session.flush()
    counters.add(session, budget, counters.BUDGETS, budgets=1, budgeted=total or 0)
    return budget, True


def _allocation(session: Session, budget: Budget, activity: str, amount: int, category: str, notes: str) -> BudgetAllocation:
    a = session.scalar(select(BudgetAllocation).where(BudgetAllocation.budget_id == budget.id, BudgetAllocation.activity == activity))
    if a is None:
        a = BudgetAllocation(
            budget_id=budget.id, region_code=budget.region_code, activity=activity, category=category, amount=amount, notes=notes
        )
        session.add(a)
        session.flush()
        counters.add(session, budget, counters.field_of(a.spm_field), allocations=1, planned=amount)
    return a


def _program(
    session: Session, team: Team, title: str, *, allocation: BudgetAllocation | None = None, **fields: object
) -> tuple[WorkProgram, bool]:
    found = session.scalar(select(WorkProgram).where(WorkProgram.team_id == team.id, WorkProgram.year == YEAR, WorkProgram.title == title))
    if found is not None:
        return found, False
    wp = WorkProgram(team_id=team.id, region_code=team.region_code, year=YEAR, title=title, **fields)
    if allocation is not None:
        wp.links = [WorkProgramAllocation(allocation_id=allocation.id, region_code=team.region_code)]
    session.add(wp)
    session.flush()
    return wp, True


def demo_budgets(session: Session) -> str:
    budgets = programs = 0
    kalteng = _team(session, "62")
    if kalteng is not None:
        b, new = _budget(
            session,
            kalteng,
            "other",
            1_000_000_000,
            "Anggaran TP Posyandu Provinsi Kalimantan Tengah 2025: Rp 1 miliar, sekitar 70% untuk pembinaan Posyandu "
            "(Kepala Dinas PMD, Rakor TP Posyandu se-Kalimantan Tengah, 1 Desember 2025). Sumber dana tidak disebutkan.",
        )
        budgets += new
        seeds.from_seed(session, b, seeds.KALTENG_RAKOR_2025, '"anggaran tim pembina Posyandu tahun 2025 adalah sebesar 1 miliar rupiah"')
        a = _allocation(
            session, b, "Pembinaan Posyandu", 700_000_000, "pembinaan", "Sekitar 70% dari anggaran (angka pasti tidak dipublikasikan)."
        )
        seeds.illustrative(
            session,
            a,
            'Sumber: "sekitar 70%" untuk pembinaan Posyandu; angka Rp 700.000.000 adalah pembulatan demo.',
            seeds.KALTENG_RAKOR_2025,
        )
        wp, new = _program(
            session,
            kalteng,
            "Pembinaan Posyandu se-Kalimantan Tengah",
            allocation=a,
            status="in_progress",
            person_in_charge="Dinas PMD Provinsi Kalimantan Tengah",
            description="Penguatan kelembagaan Posyandu sebagai lembaga kemasyarakatan desa.",
        )
        programs += new
        seeds.illustrative(
            session,
            wp,
            "Sumber menyebut sekitar 70% anggaran untuk pembinaan Posyandu; program ini, judul dan statusnya adalah pilihan demo.",
            seeds.KALTENG_RAKOR_2025,
        )
        wp, new = _program(
            session,
            kalteng,
            "Percepatan pemberian nomor registrasi Posyandu",
            status="in_progress",
            person_in_charge="Dinas PMD Provinsi Kalimantan Tengah",
            description="Fokus pembahasan Rakor TP Posyandu se-Kalimantan Tengah, 1 Desember 2025.",
        )
        programs += new
        seeds.illustrative(
            session,
            wp,
            "Fokus pembahasan menurut sumber; sebagai program kerja dengan status berjalan: pilihan demo.",
            seeds.KALTENG_RAKOR_2025,
        )
    pekalongan = _team(session, "33.75")
    if pekalongan is not None:
        b, new = _budget(
            session,
            pekalongan,
            "apbd_perubahan",
            None,
            '"Tahun ini Kota Pekalongan mendapat anggaran perubahan untuk tim pembina posyandu tingkat kota" '
            "(Sekretaris TP Posyandu Kota Pekalongan, Rakornas Posyandu 2025). Nilai tidak dipublikasikan.",
        )
        budgets += new
        seeds.from_seed(
            session,
            b,
            seeds.PEKALONGAN_RAKORNAS,
            '"tahun ini Kota Pekalongan mendapat anggaran perubahan untuk tim pembina posyandu tingkat kota"',
        )
        wp, new = _program(
            session,
            pekalongan,
            "Percontohan Posyandu 6 SPM",
            status="in_progress",
            person_in_charge="Sekretariat TP Posyandu Kota Pekalongan (DPMPPA)",
            description="Posyandu Seruni (Klego), Kencono Wungu (Kandang Panjang) dan Cempaka (Bendan Kergon): berbagi praktik baik.",
        )
        programs += new
        seeds.illustrative(
            session,
            wp,
            "Tiga posyandu percontohan dan program kerja yang telah disusun menurut sumber; judul dan status program ini: pilihan demo.",
            seeds.PEKALONGAN_RAKORNAS,
        )
    serang = _team(session, "36.73")
    if serang is not None:
        b, new = _budget(
            session,
            serang,
            "dak_non_fisik",
            None,
            "Rakor TP Posyandu Kota Serang, 21 April 2025, bersumber dari DAK Non Fisik Tahun Anggaran 2025. Nilai tidak dipublikasikan.",
        )
        budgets += new
        seeds.from_seed(session, b, seeds.SERANG_RAKOR_2025, "Sumber Dana: Dana Alokasi Khusus (DAK) Non Fisik Tahun Anggaran 2025.")
        wp, new = _program(
            session,
            serang,
            "Rapat Koordinasi Tim Pembina Posyandu Kota Serang",
            status="done",
            start_date=date(2025, 4, 21),
            end_date=date(2025, 4, 21),
            person_in_charge="TP Posyandu Kota Serang",
            description="Sosialisasi Permendagri No. 13 Tahun 2024, koordinasi lintas sektor, persiapan lomba Posyandu, "
            "rencana kerja tahunan (Hotel Flamengo).",
        )
        programs += new
        seeds.from_seed(session, wp, seeds.SERANG_RAKOR_2025)
    return f"demo budgets: {budgets} budgets and {programs} work programs created"
