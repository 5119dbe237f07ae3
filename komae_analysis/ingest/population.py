"""Compatibility module: the population readers under their historical import path.

The readers live one module per publisher layout, each beside its schema:
:mod:`~komae_analysis.ingest.tokyo_juki`, :mod:`~komae_analysis.ingest.soumu_juki`,
:mod:`~komae_analysis.ingest.ssdse` and :mod:`~komae_analysis.ingest.city_register`. Importing this
module imports all four (the build does so once, before it forks file-reading processes).
New code imports the reader's own module or goes through :mod:`~komae_analysis.ingest.registry`.
"""

from __future__ import annotations

from komae_analysis.ingest.city_register import read_city_register_households, read_city_register_population
from komae_analysis.ingest.soumu_juki import ReducedLayoutWarning, read_soumu_juki_municipal
from komae_analysis.ingest.ssdse import read_ssdse_a
from komae_analysis.ingest.tokyo_juki import read_tokyo_juki_age5

__all__ = [
    "ReducedLayoutWarning",
    "read_city_register_households",
    "read_city_register_population",
    "read_soumu_juki_municipal",
    "read_ssdse_a",
    "read_tokyo_juki_age5",
]
