import pytest

from komae_analysis.errors import KomaeError
from komae_analysis.params import load_params


def test_fy2026_verifies_9th_7th_3rd_terms():
    p = load_params(2026)
    assert p.fiscal_year == 2026
    assert (p.care_term.number, p.disability_term.number, p.child_disability_term.number) == (9, 7, 3)
    assert p.care_term.next().name_ja == "第10期介護保険事業計画"
    assert p.fy_label == "令和8年度（2026年度）"


def test_fy2023_is_the_seed_cycle():
    p = load_params(2023)
    assert (p.care_term.number, p.disability_term.number, p.child_disability_term.number) == (8, 6, 2)
    assert p.care_term.years == (2021, 2022, 2023)


def test_params_are_frozen():
    p = load_params(2026)
    with pytest.raises(AttributeError):
        p.fiscal_year = 2027  # type: ignore[misc]


def _write(tmp_path, text):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = (
    'fiscal_year: 2026\ncity: {name: 狛江市, area_code: "13219"}\n'
    "terms: {care_verified: 9, disability_verified: 7, child_disability_verified: 3}\n"
    'population: {trend_years: 10, pyramid_compare_years: 5, tokyo_code: "13000", shibu_code: "13200", '
    'comparison_codes: ["13208"]}\n'
)


def test_custom_file_loads(tmp_path):
    assert load_params(path=_write(tmp_path, BASE)).population.comparison_codes == ("13208",)


def test_unknown_key_is_an_error(tmp_path):
    with pytest.raises(KomaeError, match="不明な項目.*trend_yaers"):
        load_params(path=_write(tmp_path, BASE.replace("trend_years", "trend_yaers")))


def test_wrong_type_is_an_error(tmp_path):
    with pytest.raises(KomaeError, match="fiscal_year」は整数"):
        load_params(path=_write(tmp_path, BASE.replace("fiscal_year: 2026", "fiscal_year: 令和8")))


def test_term_not_matching_the_year_is_an_error(tmp_path):
    with pytest.raises(KomaeError, match="第8期介護保険事業計画"):
        load_params(path=_write(tmp_path, BASE.replace("care_verified: 9", "care_verified: 8")))


def test_missing_year_file_says_what_exists():
    with pytest.raises(KomaeError, match="2023.*2026"):
        load_params(1999)


def test_year_mismatch_between_flag_and_file(tmp_path):
    with pytest.raises(KomaeError, match="指定の年度"):
        load_params(2023, path=_write(tmp_path, BASE))
