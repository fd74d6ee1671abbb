"""`allowed_actions` remembered across a list page gives each record what it would get alone.

Within a `memo.scope()` (a list page) the actions are worked out once per caller, kind, state and
*place*: whether the record is national and whether the caller's region covers it, not its exact
region, so that fifty posyandu in fifty villages cost one answer. This holds only while no rule
reads more of a record's region than that; this test walks every kind, state and caller over
regions at every level, in and out of the caller's, national and not, and compares the page's
answers with each record's own.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from pembina.auth import policy
from pembina.auth.policy import ACTIONS, Kind
from pembina.kit import memo
from pembina.kit.roles import Role
from pembina.kit.scope import Principal
from pembina.kit.scopes import LEGACY, SENSITIVE

#: Regions at every level: the nation, a province, a regency, a district, two villages of one
#: district, and their neighbours and another province's.
CODES = [None, "33", "33.75", "33.75.02", "33.75.02.1008", "33.75.02.1009", "33.75.01", "33.74", "32", "32.01", "32.01.01.2001"]

#: The states each kind's rules read (`policy.STATE`), every value they tell apart.
STATES: dict[Kind, list[dict[str, object]]] = {
    Kind.competition: [{"status": s} for s in ("draft", "open", "final")],
    Kind.decree: [{"level": lv, "status": s} for lv in (1, 2, 3, 4) for s in ("draft", "issued", "reported", "verified", "revoked")],
    Kind.posyandu: [
        {"registration_status": s} for s in ("unregistered", "proposed", "verified", "submitted", "registered", "returned", "rejected")
    ],
    Kind.batch: [{"status": s} for s in ("draft", "submitted", "completed")],
    Kind.activity_report: [{"status": s} for s in ("draft", "submitted", "accepted", "returned")],
    Kind.webhook: [{"api_client_id": i} for i in (7, 8)],
    Kind.user: [{"id": i, "role": r.value} for i in (1, 2) for r in Role],
}


def _callers() -> list[Principal]:
    people = [
        Principal("user", 1, "admin", Role.national_admin, None),
        Principal("user", 2, "ministry", Role.ministry, None),
        Principal("user", 3, "province", Role.province_coordinator, "33"),
        Principal("user", 4, "regency", Role.regency_coordinator, "33.75"),
        Principal("user", 5, "district", Role.district_operator, "33.75.02"),
        Principal("user", 6, "village", Role.village_operator, "33.75.02.1008"),
    ]
    viewers = [Principal("user", 10 + i, "viewer", Role.viewer, code) for i, code in enumerate([None, "33", "33.75", "33.75.02.1008"])]
    clients = [
        Principal("client", 7, "client", None, code, frozenset(scopes))
        for code in (None, "33", "33.75.02")
        for scopes in (LEGACY["read"], LEGACY["read_write"], LEGACY["read_write"] | SENSITIVE)
    ]
    return people + viewers + clients


def test_a_list_pages_answers_are_each_records_own() -> None:
    records = [
        SimpleNamespace(policy_kind=kind, region_code=code, **state)
        for kind in ACTIONS
        for state in STATES.get(kind, [{}])
        for code in CODES
    ]
    wrong = []
    for caller in _callers():
        alone = [policy.allowed_actions(caller, r) for r in records]  # outside a scope: nothing remembered
        for order in (records, records[::-1]):
            with memo.scope():
                page = {id(r): policy.allowed_actions(caller, r) for r in order}
            for r, own in zip(records, alone, strict=True):
                if page[id(r)] != own:
                    wrong.append(f"{caller.role or caller.kind}@{caller.region_code}: {vars(r)} got {page[id(r)]}, alone {own}")
    assert not wrong, "\n".join(wrong[:20])


def test_one_answer_serves_a_page_of_villages(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the key: a district's fifty villages ask the rules once, not fifty times."""
    caller = Principal("user", 4, "regency", Role.regency_coordinator, "33.75")
    villages = [f"33.75.{d:02d}.{1000 + v}" for d, v in itertools.product(range(1, 6), range(10))]
    asked = 0
    refusal = policy.refusal

    def counting(*args: object) -> object:
        nonlocal asked
        asked += 1
        return refusal(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(policy, "refusal", counting)
    with memo.scope():
        answers = {
            tuple(policy.allowed_actions(caller, SimpleNamespace(policy_kind=Kind.posyandu, region_code=c, registration_status="proposed")))
            for c in villages
        }
    assert len(answers) == 1 and "verify" in answers.pop()
    assert asked == len(ACTIONS[Kind.posyandu])
