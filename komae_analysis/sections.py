"""The catalogue of appendix sections that exist as notebooks.

A section id is its notebook's file name (ARCHITECTURE.md). Each section declares the raw
sources it reads, so the build validates and prepares exactly those and the manifest can trace
every number to its input files. Add a section here when its notebook is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from komae_analysis.errors import KomaeError
from komae_analysis.paths import NOTEBOOKS_DIR


@dataclass(frozen=True)
class Section:
    id: str
    heading: str  # where it sits in the 資料編, e.g. 第1節 第2款
    title: str
    inputs: tuple[str, ...]  # raw source ids (komae_analysis.ingest.registry)

    @property
    def notebook(self) -> Path:
        return NOTEBOOKS_DIR / f"{self.id}.ipynb"

    @property
    def full_title(self) -> str:
        return f"{self.heading}　{self.title}"


SECTIONS: tuple[Section, ...] = (
    Section(
        id="02a_population",
        heading="第1節 第2款",
        title="統計から見る現状（1）人口・世帯の推移と年齢構成",
        inputs=("tokyo_juki_age5", "city_register_population", "city_register_households"),
    ),
    Section(
        id="02b_population_areas",
        heading="第1節 第2款",
        title="統計から見る現状（2）地域別の人口と近隣自治体との比較",
        inputs=("tokyo_juki_age5", "city_register_population", "city_register_households"),
    ),
)

#: Parameters the build injects into every section notebook; each notebook's parameters cell must
#: define all of them (checked with papermill.inspect_notebook before anything runs).
INJECTED_PARAMETERS = ("fy", "params_file", "data_dir", "out_dir")


def get(section_id: str) -> Section:
    for s in SECTIONS:
        if s.id == section_id:
            return s
    known = "、".join(s.id for s in SECTIONS)
    raise KomaeError(f"セクション「{section_id}」はありません。使えるセクション: {known}")


def select(ids: list[str] | None) -> list[Section]:
    """The sections to build, in catalogue order; ``None`` or empty means all."""
    if not ids:
        return list(SECTIONS)
    wanted = {get(i).id for i in ids}
    return [s for s in SECTIONS if s.id in wanted]
