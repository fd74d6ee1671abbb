"""Demo data from the seed articles (shared/seeds): real regions and institutions only,
no invented people. `pembina demo` is idempotent; each domain adds its part through
`DEMO_STEPS` (a function taking the session and returning a one-line report)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.roles import Role
from pembina.auth.security import hash_secret
from pembina.config import PROJECT_ROOT
from pembina.users.models import User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    region_code: str | None


#: Institutional accounts (offices named in the seeds), not people.
DEMO_ACCOUNTS = [
    DemoAccount("dpmppa.pekalongan", "DPMPPA Kota Pekalongan", Role.regency_coordinator, "33.75"),
    DemoAccount("kel.klego", "Kelurahan Klego (operator)", Role.village_operator, "33.75.02.1008"),
    DemoAccount("tppos.serang", "TP Posyandu Kota Serang (sekretariat)", Role.regency_coordinator, "36.73"),
    DemoAccount("dpmd.kalteng", "Dinas PMD Provinsi Kalimantan Tengah", Role.province_coordinator, "62"),
]


def demo_accounts(session: Session) -> str:
    """Create the demo accounts once. Their password is PEMBINA_DEMO_PASSWORD or a generated
    one, printed and written to var/demo-accounts.txt (mode 600)."""
    missing = [a for a in DEMO_ACCOUNTS if session.scalar(select(User.id).where(User.username == a.username)) is None]
    if not missing:
        return f"demo accounts: {len(DEMO_ACCOUNTS)} present"
    password = os.environ.get("PEMBINA_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    from pembina.auth.passwords import problem

    if why := problem(password):
        raise SystemExit(f"PEMBINA_DEMO_PASSWORD: {why}")
    hashed = hash_secret(password)
    for a in missing:
        session.add(User(username=a.username, full_name=a.full_name, role=a.role.value, region_code=a.region_code, password_hash=hashed))
    session.flush()
    path = PROJECT_ROOT / "var" / "demo-accounts.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        for a in missing:
            f.write(f"{a.username}\t{password}\t{a.role.value}\t{a.region_code}\n")
    path.chmod(0o600)
    names = ", ".join(a.username for a in missing)
    return f"demo accounts created ({names}); password: {password} (also in {path})"


def _demo_teams(session: Session) -> str:
    from pembina.decrees.demo import demo_teams

    return demo_teams(session)


def _demo_posyandu(session: Session) -> str:
    from pembina.pilots.demo import demo_posyandu

    return demo_posyandu(session)


def _demo_budgets(session: Session) -> str:
    from pembina.work_programs.demo import demo_budgets

    return demo_budgets(session)


def _demo_meetings(session: Session) -> str:
    from pembina.meetings.demo import demo_meetings

    return demo_meetings(session)


DEMO_STEPS: list[Callable[[Session], str]] = [demo_accounts, _demo_teams, _demo_posyandu, _demo_budgets, _demo_meetings]


def load_demo(session: Session) -> list[str]:
    return [step(session) for step in DEMO_STEPS]
