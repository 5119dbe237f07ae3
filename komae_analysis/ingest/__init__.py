"""Raw inputs → validated tidy frames.

- :mod:`~komae_analysis.ingest.population` — the readers of the population layouts.
- :mod:`~komae_analysis.ingest.registry` — the catalogue of raw inputs (``SOURCES``, ``load``, ``validate``).
- :mod:`~komae_analysis.ingest.schemas` — the pandera schemas of the tidy frames.
- :mod:`~komae_analysis.ingest.common` — reading helpers shared by every reader.
"""

from komae_analysis.ingest.population import (
    ReducedLayoutWarning,
    read_city_register_households,
    read_city_register_population,
    read_soumu_juki_municipal,
    read_ssdse_a,
    read_tokyo_juki_age5,
)
from komae_analysis.ingest.registry import SOURCES, RawSource, files, load, source, validate

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
