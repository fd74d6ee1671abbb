"""Region-isolation cases, one module per domain.

Each module defines:

* ``arrange(client, admin) -> dict``: create Kota Serang (36.73) records through the API as the
  national admin and return their ids (merged into one context dict for all modules);
* ``cases(ctx) -> dict[operationId, list[(method, url, query-or-json, expected statuses)]]``:
  requests a Kota Pekalongan (33.75) caller makes against those records. A 200 must not
  contain "36.73"; an error must be a problem document; afterwards nothing has changed.
* optionally ``SELF_OR_PUBLIC``: operationIds that only concern the caller or are public.

`tests/test_scope_isolation.py` fails if any operation of the contract is in no module.
"""

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]


def mentions(text: str, code: str) -> bool:
    """True if `text` names region `code` or a region under it (not a timestamp's "…:36.73…")."""
    import re

    return re.search(rf"(?<![\d:.]){re.escape(code)}(?![\d])", text) is not None
