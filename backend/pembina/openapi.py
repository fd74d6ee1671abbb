"""Deterministic export of the OpenAPI contract (openapi/openapi.json)."""

from __future__ import annotations

import json
import os


def export() -> str:
    # Nothing environment-dependent may leak into the contract.
    os.environ.setdefault("PEMBINA_JWT_SECRET", "contract-export-only")
    from pembina.config import Settings
    from pembina.main import create_app

    app = create_app(Settings(database_url="sqlite://", jwt_secret="contract-export-only"))
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
