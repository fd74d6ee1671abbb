"""A region named the way a letter names it: with its level word ("Kecamatan Pekalongan Timur",
"Kelurahan Klego", "Desa Adat ..."), from the region's official type. Regencies' and cities' names
already carry theirs ("Kota Pekalongan", "Kabupaten Batang"), so they are left as they are."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, case, literal

#: official type (`Region.type`) -> the word put before the name
LEVEL_WORDS: dict[str, str] = {
    "provinsi": "Provinsi",
    "kecamatan": "Kecamatan",
    "distrik": "Distrik",
    "kelurahan": "Kelurahan",
    "desa": "Desa",
    "desa_adat": "Desa Adat",
}


def place(name: str, type_: str | None) -> str:
    """`name` with its level word (unless it already starts with it)."""
    word = LEVEL_WORDS.get(type_ or "")
    if not word or name.lower().startswith(word.lower() + " "):
        return name
    return f"{word} {name}"


def place_sql(name: Any, type_: Any) -> Any:
    """The same in SQL, over a region's `name` and `type` columns."""
    return case(*((type_ == t, literal(f"{w} ", String) + name) for t, w in LEVEL_WORDS.items()), else_=name)
