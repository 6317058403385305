"""Display labels of dimension values (provinces, areas, cities, items...) and dimension names, in zh or en."""

from __future__ import annotations

import threading

from .config import Config
from .database import Database
from .i18n import norm_lang, tr
from .sqlfiles import ident, render


class Labels:
    """Labels per dimension and language, read once per database (lookups come from reference datasets)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._config: Config = db.config
        self._memo: dict[tuple[str, str], dict[str, str]] = {}
        self._lock = threading.Lock()

    def of(self, dimension: str, lang: str) -> dict[str, str]:
        """value id -> display label for one dimension in lang (empty for unknown dimensions)."""
        key = (dimension, norm_lang(lang))
        with self._lock:
            hit = self._memo.get(key)
        if hit is None:
            hit = self._read(dimension, key[1])
            with self._lock:
                self._memo[key] = hit
        return hit

    def _read(self, dimension: str, lang: str) -> dict[str, str]:
        cfg = self._config
        dim = cfg.dimensions.get(dimension)
        out: dict[str, str] = {}
        if dim is None:
            return out
        if dim.labels_from == "provinces":
            out.update({k: p.text("name", lang) for k, p in cfg.provinces.items()})
        elif dim.labels_from == "areas":
            out.update({a.id: a.text("name", lang) for a in cfg.areas})
        if dim.labels:
            out.update({k: v.text(lang) for k, v in dim.labels.items()})
        if dim.lookup:
            lk = dim.lookup
            column = getattr(lk, lang)  # the lookup names its zh and en label columns
            df = self._db.frame(render("lookup", key=ident(lk.key), label=ident(column), table=ident(lk.dataset)))
            out.update(dict(zip(df["key"].astype(str), df["label"].astype(str), strict=True)))
        return out

    def dimension_name(self, dimension: str, lang: str) -> str:
        """The display name of a dimension (or of month)."""
        if dimension == "month":
            return tr("word.month", lang)
        return self._config.dimensions[dimension].text("name", lang)

    def clear(self) -> None:
        """Forget what was read (for timing cold queries)."""
        with self._lock:
            self._memo.clear()
