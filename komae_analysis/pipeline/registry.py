"""The section registry: every appendix section declared once.

A :class:`Section` entry holds everything the rest of the system needs to know about a section:
its id (= its notebook's file name), where it sits in the 資料編 (:data:`OUTLINE`), its title, its
analysis module (``komae_analysis.analysis.<name>``, which also holds the section's parameters
dataclass), the raw sources it reads, and the prefix of its 表/図 numbers. The build, the kernel
warm-up, the contents page, ``komae sections``, the run parameters and the tests all derive from
these entries; nothing else lists sections. Adding a section: see CONTRIBUTING.md.

:data:`OUTLINE` is the whole structure of the appendix (節・款, 第4章, 第5章, 実施計画), so that the
contents page can show the parts that have no section yet as 「未作成」.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from komae_analysis.errors import KomaeError
from komae_analysis.params import Params, load_params
from komae_analysis.paths import NOTEBOOKS_DIR


@dataclass(frozen=True)
class Part:
    """One part of the 資料編's structure. ``title`` may name the verified terms: ``{care}``,
    ``{disability}``, ``{child}`` are replaced by the term numbers of the run."""

    key: str
    heading: str  # 第1節 第2款
    title: str

    def title_for(self, params: Params | None = None) -> str:
        if params is None:
            return self.title.format(care="N", disability="N", child="N")
        t = params.terms
        return self.title.format(care=t.care_verified, disability=t.disability_verified,
                                 child=t.child_disability_verified)


OUTLINE: tuple[Part, ...] = (
    Part("1-1", "第1節 第1款", "国・東京都の動向から見る現状"),
    Part("1-2", "第1節 第2款", "統計から見る現状"),
    Part("1-3", "第1節 第3款", "市民意識調査から見る現状"),
    Part("1-4", "第1節 第4款", "住民懇談会・市民説明会・パブリックコメントの結果"),
    Part("1-5", "第1節 第5款", "現行計画の進捗状況の評価"),
    Part("1-6", "第1節 第6款", "第{care}期介護保険事業計画値の検証"),
    Part("1-7", "第1節 第7款", "第{disability}期障がい福祉計画・第{child}期障がい児福祉計画値の検証"),
    Part("2", "第2節", "課題の整理"),
    Part("ch4", "第4章", "施策体系"),
    Part("ch5", "第5章", "サービス等の見込み"),
    Part("plan", "実施計画", "重点施策の実施計画"),
)
_PARTS = {p.key: p for p in OUTLINE}


@dataclass(frozen=True)
class Section:
    id: str  # the notebook's file name without .ipynb
    part: str  # key of its OUTLINE part
    title: str
    analysis: str  # module name under komae_analysis.analysis
    inputs: tuple[str, ...]  # raw source ids (komae_analysis.ingest.registry)
    numbering: str  # 表/図 number prefix: the section's tables are 表<numbering>-1, -2, …

    @property
    def notebook(self) -> Path:
        return NOTEBOOKS_DIR / f"{self.id}.ipynb"

    @property
    def heading(self) -> str:
        return _PARTS[self.part].heading

    @property
    def full_title(self) -> str:
        return f"{self.heading}　{self.title}"

    @property
    def analysis_module_name(self) -> str:
        return f"komae_analysis.analysis.{self.analysis}"

    def analysis_module(self) -> ModuleType:
        return importlib.import_module(self.analysis_module_name)


SECTIONS: tuple[Section, ...] = (
    Section(
        id="02a_population",
        part="1-2",
        title="統計から見る現状（1）人口・世帯の推移と年齢構成",
        analysis="population",
        inputs=("tokyo_juki_age5", "city_register_population", "city_register_households"),
        numbering="2-1",
    ),
    Section(
        id="02b_population_areas",
        part="1-2",
        title="統計から見る現状（2）地域別の人口と近隣自治体との比較",
        analysis="population",
        inputs=("tokyo_juki_age5", "city_register_population", "city_register_households"),
        numbering="2-2",
    ),
    Section(
        id="02c_households",
        part="1-2",
        title="統計から見る現状（3）世帯・人口動態と長期の推移",
        analysis="households",
        inputs=("tokyo_timeseries_population", "tokyo_timeseries_aged", "tokyo_movement", "tokyo_movement_monthly",
                "census_households", "tokyo_juki_age5"),
        numbering="2-3",
    ),
    Section(
        id="02d_projection",
        part="1-2",
        title="統計から見る現状（4）将来人口推計",
        analysis="projection",
        inputs=("city_register_population", "ipss_projection"),
        numbering="2-4",
    ),
    Section(
        id="02e_peers",
        part="1-2",
        title="統計から見る現状（5）類似自治体との比較",
        analysis="peers",
        inputs=("ssdse_a",),
        numbering="2-5",
    ),
    Section(
        id="02f_care",
        part="1-2",
        title="統計から見る現状（6）介護保険",
        analysis="care",
        inputs=("care_annual", "care_monthly"),
        numbering="2-6",
    ),
    Section(
        id="02g_disability",
        part="1-2",
        title="統計から見る現状（7）障がいのある人",
        analysis="disability",
        inputs=("city_disability", "tokyo_disability", "tokyo_juki_age5"),
        numbering="2-7",
    ),
    Section(
        id="02h_community",
        part="1-2",
        title="統計から見る現状（8）生活困窮・権利擁護・地域の支え手",
        analysis="community",
        inputs=("seiho_monthly", "community_stats", "city_register_households"),
        numbering="2-8",
    ),
    Section(
        id="02i_recidivism",
        part="1-2",
        title="統計から見る現状（9）再犯防止",
        analysis="recidivism",
        inputs=("moj_recidivism", "rehabilitation_stats"),
        numbering="2-9",
    ),
    Section(
        id="03a_survey_community",
        part="1-3",
        title="市民意識調査から見る現状（1）地域福祉に関する市民意識調査",
        analysis="survey",
        inputs=("survey_community_codebook", "survey_community_responses", "city_register_population"),
        numbering="3-1",
    ),
    Section(
        id="03b_survey_needs",
        part="1-3",
        title="市民意識調査から見る現状（2）介護予防・日常生活圏域ニーズ調査",
        analysis="survey",
        inputs=("survey_needs_codebook", "survey_needs_responses", "city_register_population"),
        numbering="3-2",
    ),
    Section(
        id="05_progress",
        part="1-5",
        title="現行計画の進捗状況の評価",
        analysis="plan",
        inputs=("plan_registry_outline", "plan_registry_measures", "plan_registry_projects",
                "plan_progress_scale", "plan_progress_ratings", "plan_progress_indicators"),
        numbering="5-1",
    ),
    Section(
        id="10_policy_framework",
        part="ch4",
        title="施策体系と施策一覧",
        analysis="plan",
        inputs=("plan_registry_outline", "plan_registry_measures"),
        numbering="4",
    ),
    Section(
        id="11_implementation_plan",
        part="plan",
        title="重点施策の実施計画",
        analysis="plan",
        inputs=("plan_registry_measures", "plan_registry_projects", "implementation_plan_lines",
                "implementation_plan_budget"),
        numbering="6",
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
    """The sections to build, in registry order; ``None`` or empty means all."""
    if not ids:
        return list(SECTIONS)
    wanted = {get(i).id for i in ids}
    return [s for s in SECTIONS if s.id in wanted]


def part(key: str) -> Part:
    return _PARTS[key]


def topics() -> dict[str, type]:
    """YAML block name → parameters dataclass, from the analysis modules of the registered sections
    (each module's ``PARAMS``; a module without parameters has ``PARAMS = None``)."""
    out: dict[str, type] = {}
    for name in dict.fromkeys(s.analysis for s in SECTIONS):
        cls = importlib.import_module(f"komae_analysis.analysis.{name}").PARAMS
        if cls is not None:
            out[name] = cls
    return out


def run_params(fy: int | None = None, *, path: str | Path | None = None) -> Params:
    """The run parameters of fiscal year ``fy`` (bundled ``params/FY<fy>.yaml``) or of the file at
    ``path``, with one checked block per analysis topic."""
    return load_params(fy, path=path, topics=topics())


def warm_imports(sections: list[Section] | tuple[Section, ...] = SECTIONS) -> tuple[str, ...]:
    """What a kernel imports before its notebook arrives: the notebook API and the analysis modules."""
    return ("komae_analysis.pipeline.context",
            *dict.fromkeys(s.analysis_module_name for s in sections))
