"""Raw inputs → validated tidy frames.

One module per publisher layout, each holding its reader and its pandera schema side by side (the
registry's ``SOURCES`` is the complete list), e.g.:

- :mod:`~komae_analysis.ingest.tokyo_juki` — 東京都「住民基本台帳による東京都の世帯と人口」第7表.
- :mod:`~komae_analysis.ingest.soumu_juki` — 総務省「住民基本台帳に基づく人口、人口動態及び世帯数」市区町村別.
- :mod:`~komae_analysis.ingest.ssdse` — 統計センター SSDSE-A.
- :mod:`~komae_analysis.ingest.city_register` — 狛江市 住民基本台帳 町丁目別 (Excel export).

and around them:

- :mod:`~komae_analysis.ingest.registry` — the catalogue of raw inputs (``SOURCES``: reader, schema,
  出典 wording via ``citation()``, the cutoff of a fiscal year's files; ``load``, ``validate``).
- :mod:`~komae_analysis.ingest.cache` — the processed-data cache (parquet per fiscal year).
- :mod:`~komae_analysis.ingest.frames` — schema column builders, ``typed_frame``, ``validate_frame``.
- :mod:`~komae_analysis.ingest.common` — reading helpers shared by every reader.
- :mod:`~komae_analysis.ingest.population` — compatibility re-exports of the population readers.
"""

import importlib

# Re-exported lazily (PEP 562): importing the package must not import pandas and pandera, so that
# checking the processed cache stays cheap for notebooks whose cache is current.
_EXPORTS = {
    "ReducedLayoutWarning": "soumu_juki",
    "read_city_register_households": "city_register",
    "read_city_register_population": "city_register",
    "read_soumu_juki_municipal": "soumu_juki",
    "read_ssdse_a": "ssdse",
    "read_tokyo_juki_age5": "tokyo_juki",
    "SOURCES": "registry",
    "RawSource": "registry",
    "citation": "registry",
    "files": "registry",
    "load": "registry",
    "source": "registry",
    "validate": "registry",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"komae_analysis.ingest.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'komae_analysis.ingest' has no attribute {name!r}")


__all__ = [
    "SOURCES",
    "RawSource",
    "ReducedLayoutWarning",
    "citation",
    "files",
    "load",
    "read_city_register_households",
    "read_city_register_population",
    "read_soumu_juki_municipal",
    "read_ssdse_a",
    "read_tokyo_juki_age5",
    "source",
    "validate",
]
