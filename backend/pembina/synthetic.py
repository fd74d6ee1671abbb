"""Synthetic national-scale data for benchmarks: `pembina seed-synthetic --posyandu 300000`.

Spreads posyandu, a TP Posyandu team for every region (province to village), team-formation
decrees at every stage of their lifecycle (with the transition history that `as_of` boards
replay) and whatever other domains register with `register_step`, over the real Kemendagri
regions. Every row is marked: names start with `[SINTETIS]`, decree numbers too, and the
transitions' actor is `system:synthetic`.

It is never mixed into real or demo data: seeding refuses a database holding teams, decrees
or posyandu that are not synthetic (and refuses to seed twice); `--clear` removes exactly the
synthetic rows. Rows go in with set-based Core inserts in batches (no per-row ORM objects, no
per-row audit events: this is benchmark data, not a record of anybody's work); the per-region
counters are rebuilt once at the end, so every roll-up is exact.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from pembina.kit import bulk
from pembina.kit.db import rowcount, utcnow
from pembina.decrees.compliance import TEAM_FORMATION
from pembina.decrees.models import Decree, DecreeTransition
from pembina.posyandu.catalog import DEFAULT_CATALOG, SPM_FIELDS, mask_of
from pembina.posyandu.models import Posyandu
from pembina.regions.models import Region
from pembina.kit.scope import subtree_clause
from pembina.stats import service as stats
from pembina.teams.models import Team

MARK = "[SINTETIS]"
ACTOR = "system:synthetic"

#: Share of teams whose formation SK is at each stage (None: no SK recorded yet).
DECREE_STAGES: list[tuple[str | None, float]] = [(None, 0.08), ("draft", 0.07), ("issued", 0.15), ("reported", 0.45), ("verified", 0.25)]
#: Share of posyandu at each registration status.
REGISTRATION: list[tuple[str, float]] = [
    ("unregistered", 0.45),
    ("proposed", 0.10),
    ("verified", 0.08),
    ("submitted", 0.07),
    ("registered", 0.28),
    ("returned", 0.02),
]
#: Chance that a posyandu runs services of each SPM field.
SPM_CHANCE = {
    "kesehatan": 0.97,
    "pendidikan": 0.55,
    "sosial": 0.40,
    "trantibumlinmas": 0.25,
    "perumahan_rakyat": 0.20,
    "pekerjaan_umum": 0.30,
}
#: Flower names common among posyandu (not people).
FLOWERS = [
    "Melati",
    "Mawar",
    "Anggrek",
    "Kenanga",
    "Dahlia",
    "Cempaka",
    "Seruni",
    "Flamboyan",
    "Teratai",
    "Bougenville",
    "Kamboja",
    "Tulip",
]
LEVEL_WORD = {1: "Provinsi", 2: "", 3: "Kecamatan", 4: ""}


class SyntheticRefused(Exception):
    """The database holds real or demo data, or synthetic data already."""


@dataclass
class SeedReport:
    regions: int = 0
    posyandu: int = 0
    teams: int = 0
    decrees: int = 0
    transitions: int = 0
    counters: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [
            f"regions covered: {self.regions:,}",
            f"posyandu: {self.posyandu:,}",
            f"teams: {self.teams:,}",
            f"team-formation decrees: {self.decrees:,} ({self.transitions:,} transitions)",
        ]
        out += [f"{k}: {v:,}" for k, v in self.extra.items()]
        out.append(f"region counters rebuilt: {self.counters:,} rows")
        return out


@dataclass
class SeedContext:
    session: Session
    rng: random.Random
    region: str | None
    #: (team id, region code, level) of every synthetic team.
    teams: list[tuple[int, str, int]]
    progress: Callable[[int], None]
    #: Options of the registered steps (e.g. `report_months`), as the caller gave them.
    options: dict[str, object] = field(default_factory=dict)


#: Further steps (e.g. budgets) registered by other domains: name -> fn(ctx) -> rows written.
EXTRA_STEPS: dict[str, Callable[[SeedContext], int]] = {}


def register_step(name: str, fn: Callable[[SeedContext], int]) -> None:
    EXTRA_STEPS[name] = fn


def _pick(rng: random.Random, weighted: Sequence[tuple[object, float]]) -> object:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted], k=1)[0]


def _insert(session: Session, table: Table, rows: Iterator[dict[str, object]], progress: Callable[[int], None]) -> int:
    return bulk.insert_rows(session, table, rows, progress=progress)


def _regions(session: Session, region: str | None, level: int | None = None) -> list[tuple[str, str, int]]:
    stmt = select(Region.code, Region.name, Region.level).order_by(Region.code)
    if region:
        stmt = stmt.where(subtree_clause(Region.code, region))
    if level:
        stmt = stmt.where(Region.level == level)
    return [(c, n, lvl) for c, n, lvl in session.execute(stmt)]


def check_empty(session: Session) -> None:
    """Refuse to mix: no real/demo teams, decrees or posyandu, and no synthetic data yet."""
    for model, col, label in ((Team, Team.name, "teams"), (Decree, Decree.number, "decrees"), (Posyandu, Posyandu.name, "posyandu")):
        real = session.scalar(select(func.count()).select_from(model).where((col.is_(None)) | (~col.startswith(MARK))))
        if real:
            raise SyntheticRefused(
                f"the database holds {real:,} {label} that are not synthetic (real or demo data): synthetic data is never mixed in; use an empty database"
            )
        if session.scalar(select(func.count()).select_from(model)):
            raise SyntheticRefused(f"synthetic {label} are present already: run with --clear first")


def _services(rng: random.Random) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in SPM_FIELDS:
        if rng.random() < SPM_CHANCE[f]:
            codes = list(DEFAULT_CATALOG[f])
            out[f] = sorted(rng.sample(codes, rng.randint(1, min(4, len(codes)))))
    return out


def _posyandu_rows(ctx: SeedContext, villages: list[tuple[str, str, int]], total: int) -> Iterator[dict[str, object]]:
    rng, now = ctx.rng, utcnow()
    per, extra = divmod(total, len(villages))
    bonus = set(rng.sample(range(len(villages)), extra))
    seq = 0
    for i, (code, vname, _) in enumerate(villages):
        for k in range(per + (i in bonus)):
            seq += 1
            status = str(_pick(rng, REGISTRATION))
            services = _services(rng)
            registered = status == "registered"
            yield {
                "region_code": code,
                "name": f"{MARK} Posyandu {rng.choice(FLOWERS)} {k + 1} {vname}"[:200],
                "rw": f"{rng.randint(1, 15):02d}",
                "rt": None,
                "address": None,
                "latitude": None,
                "longitude": None,
                "is_active": rng.random() < 0.94,
                "pengurus_count": rng.randint(3, 10),
                "kader_count": rng.randint(5, 25),
                "stratum": None,
                "services": services,
                "spm_mask": mask_of(services),
                "notes": None,
                "registration_status": status,
                "registration_number": f"SINTETIS-{seq:07d}" if registered else None,
                "registered_at": now if registered else None,
                "status_reason": "Data sintetis." if status == "returned" else None,
                "batch_id": None,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }


def _team_rows(regions: list[tuple[str, str, int]], rng: random.Random) -> Iterator[dict[str, object]]:
    now = utcnow()
    for code, name, level in regions:
        word = LEVEL_WORD[level]
        yield {
            "region_code": code,
            "level": level,
            "kind": "tp_posyandu",
            "name": f"{MARK} TP Posyandu {word + ' ' if word else ''}{name}"[:200],
            "notes": None,
            "is_active": True,
            "formed_on": date(2024, 6, 1) + timedelta(days=rng.randint(0, 540)),
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }


def _decrees(ctx: SeedContext) -> tuple[int, int]:
    """One team-formation decree per synthetic team (most of them), with its transitions."""
    rng, now = ctx.rng, utcnow()
    decree_rows: list[dict[str, object]] = []
    plans: list[tuple[str, list[tuple[str, str, str, date]]]] = []  # (number, transitions)
    steps = [("issue", "draft", "issued"), ("report", "issued", "reported"), ("verify", "reported", "verified")]
    order = {"draft": 0, "issued": 1, "reported": 2, "verified": 3}
    for i, (team_id, code, level) in enumerate(ctx.teams, start=1):
        status = _pick(rng, DECREE_STAGES)
        if status is None:
            continue
        day = date(2024, 7, 1) + timedelta(days=rng.randint(0, 500))
        number = f"{MARK} {i}/SK-TPP/{day.year}"
        decree_rows.append(
            {
                "region_code": code,
                "level": level,
                "subject": TEAM_FORMATION,
                "number": number,
                "title": f"{MARK} Pembentukan Tim Pembina Posyandu",
                "decree_date": day if status != "draft" else None,
                "signer": None,
                "team_id": team_id,
                "status": status,
                "notes": None,
                "file_name": None,
                "file_size": None,
                "file_sha256": None,
                "file_uploaded_at": None,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        trans, when = [], day
        for action, frm, to in steps[: order[str(status)]]:
            trans.append((action, frm, to, when))
            when = when + timedelta(days=rng.randint(3, 60))
        plans.append((number, trans))
    n = _insert(ctx.session, Decree.__table__, iter(decree_rows), ctx.progress)
    ids = dict(ctx.session.execute(select(Decree.number, Decree.id).where(Decree.number.startswith(MARK))).all())
    by_number = {r["number"]: r for r in decree_rows}

    def transition_rows() -> Iterator[dict[str, object]]:
        for number, trans in plans:
            d = by_number[number]
            for action, frm, to, when in trans:
                yield {
                    "decree_id": ids[number],
                    "region_code": d["region_code"],
                    "level": d["level"],
                    "subject": TEAM_FORMATION,
                    "action": action,
                    "from_status": frm,
                    "to_status": to,
                    "reason": None,
                    "effective_date": when,
                    "actor": ACTOR,
                    "actor_name": "Data sintetis",
                    "occurred_at": datetime.combine(when, time(), tzinfo=UTC),
                }

    t = _insert(ctx.session, DecreeTransition.__table__, transition_rows(), ctx.progress)
    return n, t


def seed(
    session: Session,
    *,
    posyandu: int,
    region: str | None = None,
    seed_value: int = 2026,
    progress: Callable[[int], None] = lambda n: None,
    options: dict[str, object] | None = None,
) -> SeedReport:
    """Seed synthetic data over every real region (or one subtree). Call inside a transaction."""
    if posyandu < 0:
        raise ValueError("posyandu must be 0 or more")
    check_empty(session)
    regions = _regions(session, region)
    villages = [r for r in regions if r[2] == 4]
    if not villages:
        raise SyntheticRefused(f"no villages under {region or 'the nation'}: load the regions first (pembina load-regions)")
    rng = random.Random(seed_value)
    report = SeedReport(regions=len(regions))
    ctx = SeedContext(session=session, rng=rng, region=region, teams=[], progress=progress, options=dict(options or {}))
    report.posyandu = _insert(session, Posyandu.__table__, _posyandu_rows(ctx, villages, posyandu), progress)
    report.teams = _insert(session, Team.__table__, _team_rows(regions, rng), progress)
    ctx.teams = [
        (i, c, lvl)
        for i, c, lvl in session.execute(select(Team.id, Team.region_code, Team.level).where(Team.name.startswith(MARK)).order_by(Team.id))
        if c is not None
    ]
    report.decrees, report.transitions = _decrees(ctx)
    for name, step in EXTRA_STEPS.items():
        report.extra[name] = step(ctx)
    report.counters = stats.rebuild(session)
    return report


def clear(session: Session) -> dict[str, int]:
    """Remove every synthetic row (and only those), then rebuild the counters."""
    out: dict[str, int] = {}
    synthetic_decrees = select(Decree.id).where(Decree.number.startswith(MARK))
    out["decree transitions"] = rowcount(session.execute(delete(DecreeTransition).where(DecreeTransition.decree_id.in_(synthetic_decrees))))
    out["decrees"] = rowcount(session.execute(delete(Decree).where(Decree.number.startswith(MARK))))
    for name, fn in CLEAR_STEPS.items():
        out[name] = fn(session)
    out["teams"] = rowcount(session.execute(delete(Team).where(Team.name.startswith(MARK))))
    out["posyandu"] = rowcount(session.execute(delete(Posyandu).where(Posyandu.name.startswith(MARK))))
    stats.rebuild(session)
    return out


#: Removal of the rows other domains' steps wrote (run before teams are deleted).
CLEAR_STEPS: dict[str, Callable[[Session], int]] = {}
