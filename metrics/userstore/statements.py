"""The store's SQL: named statements in sql/*.sql and numbered migrations in migrations/NNNN_name.sql.

Statements bind values as :name parameters. They avoid SQLite-only syntax (no AUTOINCREMENT, no INSERT OR
REPLACE, no datetime('now')), so the PostgreSQL backend can run the same files, turning :name into its own markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
SQL_DIR = HERE / "sql"
MIGRATIONS_DIR = HERE / "migrations"
MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
NAME = re.compile(r"^[a-z0-9_]+$")


class UnknownStatement(KeyError):
    """No sql/<name>.sql exists."""


@cache
def statement(name: str) -> str:
    """The text of sql/<name>.sql (names are plain words: no paths)."""
    path = SQL_DIR / f"{name}.sql"
    if not NAME.match(name) or not path.is_file():
        raise UnknownStatement(name)
    return path.read_text(encoding="utf-8").strip()


def split(script: str) -> list[str]:
    """The statements of a migration: '--' comment lines dropped, split on ';' at the end of a line."""
    kept = "\n".join(ln for ln in script.splitlines() if not ln.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*$", kept, flags=re.M) if s.strip()]


@dataclass(frozen=True)
class Migration:
    """One numbered schema change, applied once."""

    version: int
    name: str
    statements: tuple[str, ...]


@lru_cache(maxsize=1)
def migrations() -> tuple[Migration, ...]:
    """Every migration, in order; ValueError when two files share a number."""
    found: dict[int, Migration] = {}
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        m = MIGRATION_NAME.match(path.name)
        if not m:
            raise ValueError(f"{path.name}: migrations are named NNNN_words.sql")
        version = int(m.group(1))
        if version in found:
            raise ValueError(f"{path.name}: migration {version} exists twice")
        found[version] = Migration(version, m.group(2), tuple(split(path.read_text(encoding="utf-8"))))
    return tuple(found[v] for v in sorted(found))
