"""Raw inputs → validated tidy frames.

- :mod:`~komae_analysis.ingest.population` — the readers of the population layouts.
- :mod:`~komae_analysis.ingest.registry` — the catalogue of raw inputs (``SOURCES``, ``load``, ``validate``).
- :mod:`~komae_analysis.ingest.schemas` — the pandera schemas of the tidy frames.
- :mod:`~komae_analysis.ingest.common` — reading helpers shared by every reader.
"""

import importlib

# Re-exported lazily (PEP 562): importing the package must not import pandas and pandera, so that
# listing raw files stays cheap for notebooks whose processed cache is current.
_EXPORTS = {
    "ReducedLayoutWarning": "population",
    "read_city_register_households": "population",
    "read_city_register_population": "population",
    "read_soumu_juki_municipal": "population",
    "read_ssdse_a": "population",
    "read_tokyo_juki_age5": "population",
    "SOURCES": "registry",
    "RawSource": "registry",
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
