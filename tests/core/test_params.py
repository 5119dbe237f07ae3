"""The generic parameters loader: core keys plus one typed block per topic."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from komae_analysis.errors import KomaeError
from komae_analysis.params import load_params
from komae_analysis.pipeline import registry


@dataclass(frozen=True)
class Inner:
    label: str


@dataclass(frozen=True)
class DemoTopic:
    """A topic defined here, so that the loader is tested apart from any real analysis module."""

    years: int
    rate: float
    codes: tuple[str, ...]
    counts: tuple[int, ...]
    flag: bool
    inner: Inner

    def check(self) -> str | None:
        return "years は1以上です" if self.years < 1 else None


TOPICS = {"demo_topic": DemoTopic}

CORE = (
    'fiscal_year: 2026\ncity: {name: 狛江市, area_code: "13219"}\n'
    "terms: {care_verified: 9, disability_verified: 7, child_disability_verified: 3}\n"
)
BLOCK = 'demo_topic: {years: 3, rate: 1, codes: ["13208", "13112"], counts: [1, 2], flag: true, inner: {label: あ}}\n'


def _write(tmp_path, text):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_fy2026_verifies_9th_7th_3rd_terms():
    p = registry.run_params(2026)
    assert p.fiscal_year == 2026
    assert (p.care_term.number, p.disability_term.number, p.child_disability_term.number) == (9, 7, 3)
    assert p.care_term.next().name_ja == "第10期介護保険事業計画"
    assert p.fy_label == "令和8年度（2026年度）"


def test_fy2023_is_the_seed_cycle():
    p = registry.run_params(2023)
    assert (p.care_term.number, p.disability_term.number, p.child_disability_term.number) == (8, 6, 2)
    assert p.care_term.years == (2021, 2022, 2023)


def test_run_params_has_one_typed_block_per_registered_topic():
    p = registry.run_params(2026)
    analysis_modules = {s.analysis for s in registry.SECTIONS}
    assert set(p.topics) <= analysis_modules
    for key, block in p.topics.items():
        assert isinstance(block, registry.topics()[key])
        assert p.topic(type(block)) is block
    assert set(p.to_dict()) == {"fiscal_year", "city", "terms", *p.topics}


def test_params_are_frozen():
    p = registry.run_params(2026)
    with pytest.raises(AttributeError):
        p.fiscal_year = 2027  # type: ignore[misc]


def test_topic_block_is_typed(tmp_path):
    p = load_params(path=_write(tmp_path, CORE + BLOCK), topics=TOPICS)
    t = p.topic(DemoTopic)
    assert t == DemoTopic(years=3, rate=1.0, codes=("13208", "13112"), counts=(1, 2), flag=True, inner=Inner("あ"))
    assert isinstance(t.rate, float)
    assert p.to_dict()["demo_topic"]["codes"] == ["13208", "13112"]


def test_unknown_topic_block_is_an_error(tmp_path):
    with pytest.raises(KomaeError, match="不明な項目.*demo_topic"):
        load_params(path=_write(tmp_path, CORE + BLOCK))


def test_missing_topic_block_is_an_error(tmp_path):
    with pytest.raises(KomaeError, match="必要な項目がありません: demo_topic"):
        load_params(path=_write(tmp_path, CORE), topics=TOPICS)


def test_unknown_key_in_a_block_is_an_error(tmp_path):
    with pytest.raises(KomaeError, match="demo_topic」に不明な項目.*yeras"):
        load_params(path=_write(tmp_path, CORE + BLOCK.replace("years", "yeras")), topics=TOPICS)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("years: 3", "years: 三", "demo_topic.years」は整数"),
        ("years: 3", "years: true", "demo_topic.years」は整数"),
        ("rate: 1", "rate: 高い", "demo_topic.rate」は数値"),
        ('codes: ["13208", "13112"]', "codes: 13208", "demo_topic.codes」は文字列の一覧"),
        ("counts: [1, 2]", 'counts: [1, "2"]', "demo_topic.counts」は整数の一覧"),
        ("flag: true", "flag: 1", "demo_topic.flag」はtrue か false"),
        ("inner: {label: あ}", "inner: あ", "demo_topic.inner」は項目の一覧"),
    ],
)
def test_wrong_type_in_a_block_is_an_error(tmp_path, old, new, message):
    assert old in BLOCK
    with pytest.raises(KomaeError, match=message):
        load_params(path=_write(tmp_path, CORE + BLOCK.replace(old, new)), topics=TOPICS)


def test_block_check_runs(tmp_path):
    with pytest.raises(KomaeError, match="demo_topic」: years は1以上です"):
        load_params(path=_write(tmp_path, CORE + BLOCK.replace("years: 3", "years: 0")), topics=TOPICS)


def test_wrong_core_type_is_an_error(tmp_path):
    with pytest.raises(KomaeError, match="fiscal_year」は整数"):
        load_params(path=_write(tmp_path, CORE.replace("fiscal_year: 2026", "fiscal_year: 令和8")))


def test_term_not_matching_the_year_is_an_error(tmp_path):
    with pytest.raises(KomaeError, match="第8期介護保険事業計画"):
        load_params(path=_write(tmp_path, CORE.replace("care_verified: 9", "care_verified: 8")))


def test_missing_year_file_says_what_exists():
    with pytest.raises(KomaeError, match="2023.*2026"):
        load_params(1999)


def test_year_mismatch_between_flag_and_file(tmp_path):
    with pytest.raises(KomaeError, match="指定の年度"):
        load_params(2023, path=_write(tmp_path, CORE))


def test_bundled_files_load_with_every_topic():
    from komae_analysis.params import available_years

    for fy in available_years():
        assert registry.run_params(fy).fiscal_year == fy
