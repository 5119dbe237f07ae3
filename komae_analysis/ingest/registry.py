"""The catalogue of raw inputs: where each lives under ``data/raw/``, what it is, who provides it,
how it is cited, which reader reads it into which schema, and which of its files a fiscal year uses.
Used by ``komae validate``, the processed-data cache, the build and the manifest.

Entries hold the reader callable itself, so importing this module imports the readers (and pandas;
pandera only when a schema is first used, see :class:`~komae_analysis.ingest.frames.LazySchema`).
Code that only lists files or checks the processed cache (:mod:`~komae_analysis.ingest.cache`)
imports this module lazily.

A fiscal year's inputs: each source has a cutoff, ``as_of(fy)`` (by default 1 April of the fiscal
year: the figures as of the year's start, e.g. the register on 1 January). :func:`load` and
:func:`load_many` given ``fy`` keep only the files whose reference date — the date the reader found
in the file — is on or before it; a file without a reference date (an SSDSE edition) is always kept.
:func:`validate` checks every file, whatever its date.

Nothing here writes anything, anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from komae_analysis.calendar import wareki_date, wareki_fy
from komae_analysis.errors import InputError, InputProblem, display_name
from komae_analysis.ingest import (
    care_insurance,
    census_households,
    city_disability,
    city_register,
    community,
    implementation_plan,
    ipss_projection,
    plan_progress,
    plan_registry,
    recidivism,
    soumu_juki,
    ssdse,
    survey,
    tokyo_disability,
    tokyo_juki,
    tokyo_movement,
    tokyo_movement_monthly,
    tokyo_timeseries,
)
from komae_analysis.ingest.common import list_files
from komae_analysis.ingest.frames import LazySchema, empty_frame


def fiscal_year_start(fy: int) -> dt.date:
    """The default cutoff of a fiscal year's inputs: its first day, 1 April (FY2023 → 2023-04-01)."""
    return dt.date(fy, 4, 1)


@dataclass(frozen=True)
class RawSource:
    """One kind of raw input: a folder under the data dir holding one file per reference date."""

    id: str  # e.g. "tokyo_juki_age5"
    folder: str  # relative to the data dir, e.g. "tokyo_juki_age5", "city_register"
    pattern: str  # glob, e.g. "*.csv", "juki_choume_age_*.xlsx"
    title_ja: str  # e.g. 住民基本台帳による東京都の世帯と人口 第7表
    source_ja: str  # the publication as cited, without 「出典：」 (see citation())
    provider_ja: str  # who gives it to the analysts
    reader: Callable[[Path], pd.DataFrame]  # one file → the validated tidy frame
    schema: LazySchema  # what the reader returns (built on first use)
    required: bool
    as_of: Callable[[int], dt.date] = field(default=fiscal_year_start)  # fy → the latest reference date used
    #: for a source whose files are editions rather than dated (SSDSE): the columns that identify a
    #: value across editions; where two editions hold the same one, the newest edition's is kept
    edition_key: tuple[str, ...] = ()


SOURCES: tuple[RawSource, ...] = (
    RawSource(
        id="tokyo_juki_age5",
        folder="tokyo_juki_age5",
        pattern="*.csv",
        title_ja=(
            "住民基本台帳による東京都の世帯と人口 第7表"
            "（区市町村、年齢（5歳階級）、日本人、外国人及び男女別人口）"
        ),
        source_ja="東京都総務局統計部「住民基本台帳による東京都の世帯と人口」第7表",
        provider_ja="東京都総務局統計部（「東京都の統計」ウェブサイトで公表、各年1月1日現在）",
        reader=tokyo_juki.read_tokyo_juki_age5,
        schema=tokyo_juki.SCHEMA,
        required=True,
    ),
    RawSource(
        id="city_register_population",
        folder="city_register",
        pattern="juki_choume_age_*.xlsx",
        title_ja="住民基本台帳 町丁目別・年齢（各歳）別人口",
        source_ja="狛江市「住民基本台帳」",
        provider_ja="狛江市 市民課（住民基本台帳システムからの抽出）",
        reader=city_register.read_city_register_population,
        schema=city_register.POPULATION_SCHEMA,
        required=True,
    ),
    RawSource(
        id="city_register_households",
        folder="city_register",
        pattern="juki_choume_age_*.xlsx",
        title_ja="住民基本台帳 町丁目別世帯数・人口",
        source_ja="狛江市「住民基本台帳」",
        provider_ja="狛江市 市民課（住民基本台帳システムからの抽出）",
        reader=city_register.read_city_register_households,
        schema=city_register.HOUSEHOLDS_SCHEMA,
        required=True,
    ),
    RawSource(
        id="soumu_juki_municipal",
        folder="soumu_juki_municipal",
        pattern="*.csv",
        title_ja="住民基本台帳に基づく人口、人口動態及び世帯数（市区町村別）",
        source_ja="総務省「住民基本台帳に基づく人口、人口動態及び世帯数」",
        provider_ja="総務省自治行政局（e-Statで公表、各年1月1日現在）",
        reader=soumu_juki.read_soumu_juki_municipal,
        schema=soumu_juki.SCHEMA,
        required=False,
    ),
    RawSource(
        id="ssdse_a",
        folder="ssdse_a",
        pattern="*.csv",
        title_ja="教育用標準データセット SSDSE-A（市区町村）",
        source_ja="独立行政法人統計センター「教育用標準データセット（SSDSE）」",
        provider_ja="独立行政法人統計センター（ウェブサイトで公開）",
        reader=ssdse.read_ssdse_a,
        schema=ssdse.SCHEMA,
        required=False,
        edition_key=("area_code", "item_code", "year"),
    ),
    RawSource(
        id="tokyo_timeseries_population",
        folder="tokyo_juki_timeseries",
        pattern="jy*0200.csv",
        title_ja="住民基本台帳による東京都の世帯と人口 時系列 第2表（区市町村別男女別人口）",
        source_ja="東京都総務局統計部「住民基本台帳による東京都の世帯と人口」時系列 第2表",
        provider_ja="東京都総務局統計部（「東京都の統計」ウェブサイトで公表、毎年1月の公表に昭和60年からの各年1月1日現在）",
        reader=tokyo_timeseries.read_tokyo_timeseries_population,
        schema=tokyo_timeseries.POPULATION_SCHEMA,
        required=False,
        edition_key=("area_code", "year", "nationality", "sex"),
    ),
    RawSource(
        id="tokyo_timeseries_aged",
        folder="tokyo_juki_timeseries",
        pattern="jy*0906.csv",
        title_ja="住民基本台帳による東京都の世帯と人口 時系列 第9表（老年人口（65歳以上）割合）",
        source_ja="東京都総務局統計部「住民基本台帳による東京都の世帯と人口」時系列 第9表",
        provider_ja="東京都総務局統計部（「東京都の統計」ウェブサイトで公表、毎年1月の公表に昭和60年からの各年1月1日現在）",
        reader=tokyo_timeseries.read_tokyo_timeseries_aged,
        schema=tokyo_timeseries.AGED_SCHEMA,
        required=False,
        edition_key=("area_code", "year", "base", "sex"),
    ),
    RawSource(
        id="tokyo_movement",
        folder="tokyo_population_movement",
        pattern="ju*qv0100.csv",
        title_ja="人口の動き 第1表（区市町村、変動要因別人口）",
        source_ja="東京都総務局統計部「人口の動き」第1表",
        provider_ja="東京都総務局統計部（「東京都の統計」ウェブサイトで毎年公表、前年1年間の動き）",
        reader=tokyo_movement.read_tokyo_movement,
        schema=tokyo_movement.SCHEMA,
        required=False,
    ),
    RawSource(
        id="tokyo_movement_monthly",
        folder="tokyo_population_movement",
        pattern="ju*qv1[14567]00.csv",
        title_ja="人口の動き 月別の表（第11・14～17表: 都内間移動増減、自然増減、出生数、死亡数、その他の増減）",
        source_ja="東京都総務局統計部「人口の動き」第11・14～17表",
        provider_ja="東京都総務局統計部（「東京都の統計」ウェブサイトで毎年公表、前年1年間の月別・日本人・外国人別）",
        reader=tokyo_movement_monthly.read_tokyo_movement_monthly,
        schema=tokyo_movement_monthly.SCHEMA,
        required=False,
        edition_key=("year", "item", "nationality", "area_code", "month"),
    ),
    RawSource(
        id="census_households",
        folder="census_households",
        pattern="*.xlsx",
        title_ja="国勢調査 人口等基本集計 第10表（世帯の家族類型，世帯人員の人数別一般世帯数）",
        source_ja="総務省統計局「国勢調査」人口等基本集計 第10表",
        provider_ja="総務省統計局（e-Stat で公表、各調査年の10月1日現在）",
        reader=census_households.read_census_households,
        schema=census_households.SCHEMA,
        required=False,
    ),
    RawSource(
        id="ipss_projection",
        folder="ipss_projection",
        pattern="*.xlsx",
        title_ja="日本の地域別将来推計人口（令和5（2023）年推計）市区町村別・男女5歳階級別推計結果",
        source_ja="国立社会保障・人口問題研究所「日本の地域別将来推計人口（令和5（2023）年推計）」",
        provider_ja="国立社会保障・人口問題研究所（ウェブサイトで公表、推計結果の一括ファイル suikei_kekka.xlsx）",
        reader=ipss_projection.read_ipss_projection,
        schema=ipss_projection.SCHEMA,
        required=False,
    ),
    RawSource(
        id="care_annual",
        folder="care_insurance",
        pattern="kaigo_nenpo_*.xlsx",
        title_ja="介護保険事業状況報告（年報）保険者別（第1号被保険者数、認定者数、受給者数、保険給付費）",
        source_ja="厚生労働省「介護保険事業状況報告（年報）」",
        provider_ja=(
            "東京都福祉局（都内の保険者別の表。全国の行は厚生労働省の年報の全国計）。"
            "分析者が年度ごとに1ファイルを受け取って置く"
        ),
        reader=care_insurance.read_care_annual,
        schema=care_insurance.SCHEMA,
        required=False,
        as_of=care_insurance.care_as_of,
    ),
    RawSource(
        id="care_monthly",
        folder="care_insurance",
        pattern="kaigo_geppo_*.xlsx",
        title_ja="介護保険事業状況報告（月報）保険者別（第1号被保険者数、認定者数、受給者数、保険給付費）",
        source_ja="厚生労働省「介護保険事業状況報告（月報）」",
        provider_ja=(
            "東京都福祉局（都内の保険者別の表。全国の行は厚生労働省の月報（暫定版）の全国計）。"
            "分析者が月ごとに1ファイルを受け取って置く"
        ),
        reader=care_insurance.read_care_monthly,
        schema=care_insurance.SCHEMA,
        required=False,
        as_of=care_insurance.care_as_of,
    ),
    RawSource(
        id="city_disability",
        folder="city_disability",
        pattern="*.xlsx",
        title_ja="障害者手帳所持者数等の推移（身体障害者手帳・愛の手帳・精神障害者保健福祉手帳・自立支援医療（精神通院）・難病医療費助成）",
        source_ja="狛江市 高齢障がい課",
        provider_ja="狛江市 福祉保健部 高齢障がい課（手帳・受給者の台帳からの集計表、各年度3月31日現在）",
        reader=city_disability.read_city_disability,
        schema=city_disability.SCHEMA,
        required=False,
    ),
    RawSource(
        id="tokyo_disability",
        folder="tokyo_disability",
        pattern="*.xlsx",
        title_ja="福祉・衛生 統計年報 障害者手帳の区市町村別の表（身体障害者手帳・愛の手帳・精神障害者保健福祉手帳）",
        source_ja="東京都福祉局「福祉・衛生 統計年報」",
        provider_ja="東京都福祉局（ウェブサイトで公表、各年度3月31日現在）",
        reader=tokyo_disability.read_tokyo_disability,
        schema=tokyo_disability.SCHEMA,
        required=False,
    ),
    RawSource(
        id="seiho_monthly",
        folder="seikatsu_hogo",
        pattern="*.xlsx",
        title_ja="生活保護 月別被保護世帯数・被保護実人員（年度ごと）",
        source_ja="狛江市 生活福祉課「被保護者調査（月次調査）」報告",
        provider_ja="狛江市 福祉保健部 生活福祉課（東京都へ毎月報告している被保護者調査の値を年度ごとに1ファイルで提供）",
        reader=community.read_seiho_monthly,
        schema=community.SEIHO_SCHEMA,
        required=False,
    ),
    RawSource(
        id="community_stats",
        folder="community",
        pattern="*.xlsx",
        title_ja="地域福祉関係統計（生活困窮者自立支援・成年後見・重層的支援体制整備事業・民生委員・児童委員）",
        source_ja="狛江市 福祉政策課「地域福祉関係統計」",
        provider_ja=(
            "狛江市 福祉政策課（生活福祉課、福祉相談課、高齢障がい課、狛江市社会福祉協議会、"
            "東京家庭裁判所の資料を取りまとめた年度別の表）"
        ),
        reader=community.read_community_stats,
        schema=community.COMMUNITY_SCHEMA,
        required=False,
        edition_key=("topic", "item", "fiscal_year"),
    ),
    RawSource(
        id="moj_recidivism",
        folder="moj_saihan",
        pattern="*.xlsx",
        title_ja="刑法犯検挙者中の再犯者数（警察署別、罪種別・年齢層別）",
        source_ja="法務省提供資料「刑法犯検挙者中の再犯者数」（警察庁の犯罪統計による）",
        provider_ja=(
            "法務省（地方再犯防止推進計画の策定・推進のため、警察庁から提供を受けた警察署別の犯罪統計を"
            "地方公共団体に提供。東京都を通じて受け取る）"
        ),
        reader=recidivism.read_moj_recidivism,
        schema=recidivism.MOJ_SCHEMA,
        required=False,
        edition_key=("area", "breakdown", "category", "year"),
    ),
    RawSource(
        id="rehabilitation_stats",
        folder="kousei_hogo",
        pattern="*.xlsx",
        title_ja="更生保護関係統計（保護司・協力雇用主・社会を明るくする運動）",
        source_ja="狛江市 福祉政策課「更生保護関係統計」",
        provider_ja=(
            "狛江市 福祉政策課（狛江分区保護司会、東京保護観察所、社会を明るくする運動狛江市推進委員会の"
            "資料を取りまとめた年度別の表）"
        ),
        reader=recidivism.read_rehabilitation_stats,
        schema=recidivism.REHAB_SCHEMA,
        required=False,
        edition_key=("topic", "item", "fiscal_year"),
    ),
    RawSource(
        id="plan_registry_outline",
        folder="plan_registry",
        pattern="*.xlsx",
        title_ja="あいとぴあレインボープラン 施策の台帳（基本理念・基本目標・計画）",
        source_ja="狛江市「あいとぴあレインボープラン（地域共生社会推進基本計画）」",
        provider_ja="狛江市 福祉政策課（計画担当が施策の台帳として管理するExcelファイル）",
        reader=plan_registry.read_registry_outline,
        schema=plan_registry.OUTLINE_SCHEMA,
        required=False,
    ),
    RawSource(
        id="plan_registry_measures",
        folder="plan_registry",
        pattern="*.xlsx",
        title_ja="あいとぴあレインボープラン 施策の台帳（施策）",
        source_ja="狛江市「あいとぴあレインボープラン（地域共生社会推進基本計画）」",
        provider_ja="狛江市 福祉政策課（計画担当が施策の台帳として管理するExcelファイル）",
        reader=plan_registry.read_registry_measures,
        schema=plan_registry.MEASURES_SCHEMA,
        required=False,
    ),
    RawSource(
        id="plan_registry_projects",
        folder="plan_registry",
        pattern="*.xlsx",
        title_ja="あいとぴあレインボープラン 施策の台帳（事業）",
        source_ja="狛江市「あいとぴあレインボープラン（地域共生社会推進基本計画）」",
        provider_ja="狛江市 福祉政策課（計画担当が施策の台帳として管理するExcelファイル）",
        reader=plan_registry.read_registry_projects,
        schema=plan_registry.PROJECTS_SCHEMA,
        required=False,
    ),
    RawSource(
        id="plan_progress_scale",
        folder="plan_progress",
        pattern="*.xlsx",
        title_ja="各計画の進捗状況の評価（評価区分）",
        source_ja="狛江市「各計画の事業評価（進捗状況の評価）」",
        provider_ja="狛江市 福祉政策課（各担当課の自己評価を取りまとめたExcelファイル）",
        reader=plan_progress.read_progress_scale,
        schema=plan_progress.SCALE_SCHEMA,
        required=False,
    ),
    RawSource(
        id="plan_progress_ratings",
        folder="plan_progress",
        pattern="*.xlsx",
        title_ja="各計画の進捗状況の評価（事業評価）",
        source_ja="狛江市「各計画の事業評価（進捗状況の評価）」",
        provider_ja="狛江市 福祉政策課（各担当課の自己評価を取りまとめたExcelファイル）",
        reader=plan_progress.read_progress_ratings,
        schema=plan_progress.RATINGS_SCHEMA,
        required=False,
    ),
    RawSource(
        id="plan_progress_indicators",
        folder="plan_progress",
        pattern="*.xlsx",
        title_ja="各計画の進捗状況の評価（指標）",
        source_ja="狛江市「各計画の事業評価（進捗状況の評価）」",
        provider_ja="狛江市 福祉政策課（各担当課の自己評価を取りまとめたExcelファイル）",
        reader=plan_progress.read_progress_indicators,
        schema=plan_progress.INDICATORS_SCHEMA,
        required=False,
    ),
    RawSource(
        id="implementation_plan_lines",
        folder="implementation_plan",
        pattern="*.xlsx",
        title_ja="あいとぴあレインボープラン実施計画（取組内容・取組状況）",
        source_ja="狛江市「あいとぴあレインボープラン実施計画」",
        provider_ja="狛江市 福祉政策課（毎年7月の改定で各担当課の記入を取りまとめたExcelファイル）",
        reader=implementation_plan.read_plan_lines,
        schema=implementation_plan.LINES_SCHEMA,
        required=False,
    ),
    RawSource(
        id="implementation_plan_budget",
        folder="implementation_plan",
        pattern="*.xlsx",
        title_ja="あいとぴあレインボープラン実施計画（関連する予算事業・事業費）",
        source_ja="狛江市「あいとぴあレインボープラン実施計画」",
        provider_ja="狛江市 福祉政策課（毎年7月の改定で各担当課の記入を取りまとめたExcelファイル）",
        reader=implementation_plan.read_plan_budget,
        schema=implementation_plan.BUDGET_SCHEMA,
        required=False,
    ),
    RawSource(
        id="survey_community_codebook",
        folder="survey_community",
        pattern="*_codebook.xlsx",
        title_ja="地域福祉に関する市民意識調査 調査票設計（設問・選択肢）",
        source_ja="狛江市「地域福祉に関する市民意識調査」",
        provider_ja="狛江市 福祉政策課（調査票をもとに作成する調査票設計。回答データとともに調査回ごとに置く）",
        reader=survey.read_codebook_frame,
        schema=survey.CODEBOOK_SCHEMA,
        required=False,
    ),
    RawSource(
        id="survey_community_responses",
        folder="survey_community",
        pattern="*",
        title_ja="地域福祉に関する市民意識調査 回答データ",
        source_ja="狛江市「地域福祉に関する市民意識調査」",
        provider_ja="狛江市 福祉政策課（調査の委託先が入力した回答データ。個人を特定できる情報を含まないもの）",
        reader=survey.read_responses_frame,
        schema=survey.RESPONSES_SCHEMA,
        required=False,
    ),
    RawSource(
        id="survey_needs_codebook",
        folder="survey_needs",
        pattern="*_codebook.xlsx",
        title_ja="介護予防・日常生活圏域ニーズ調査 調査票設計（設問・選択肢）",
        source_ja="狛江市「介護予防・日常生活圏域ニーズ調査」",
        provider_ja="狛江市 高齢障がい課（国の調査票に沿って作成する調査票設計。回答データとともに調査回ごとに置く）",
        reader=survey.read_codebook_frame,
        schema=survey.CODEBOOK_SCHEMA,
        required=False,
    ),
    RawSource(
        id="survey_needs_responses",
        folder="survey_needs",
        pattern="*",
        title_ja="介護予防・日常生活圏域ニーズ調査 回答データ",
        source_ja="狛江市「介護予防・日常生活圏域ニーズ調査」",
        provider_ja="狛江市 高齢障がい課（調査の委託先が入力した回答データ。個人を特定できる情報を含まないもの）",
        reader=survey.read_responses_frame,
        schema=survey.RESPONSES_SCHEMA,
        required=False,
    ),
)

_BY_ID = {s.id: s for s in SOURCES}


def source(id: str) -> RawSource:
    """The source with this id; KeyError naming the known ids otherwise."""
    try:
        return _BY_ID[id]
    except KeyError:
        raise KeyError(f"unknown raw source {id!r}; known: {', '.join(_BY_ID)}") from None


def citation(source_id: str, detail: str = "") -> str:
    """The 出典 line of a source, the one place it is worded: 「出典：」 + the publication, and the
    ``detail`` (reference dates, coverage) in full-width parentheses when given.

    ``citation("city_register_population", "各年1月1日現在、外国人住民を含む")`` →
    「出典：狛江市「住民基本台帳」（各年1月1日現在、外国人住民を含む）」.
    """
    line = f"出典：{source(source_id).source_ja}"
    return f"{line}（{detail}）" if detail else line


def files(src: RawSource, data_dir: Path) -> list[Path]:
    """The files of one source, sorted by name (Excel lock files ``~$…`` and hidden files skipped)."""
    return list_files(Path(data_dir) / src.folder, src.pattern)


def _missing_problems(src: RawSource, data_dir: Path) -> list[InputProblem]:
    """A required source without files. Worded per folder, so that two sources sharing a folder
    (both city-register sheets) give one identical problem, reported once."""
    folder = Path(data_dir) / src.folder
    if not folder.is_dir():
        return [
            InputProblem(
                file=display_name(folder),
                message=f"入力フォルダがありません（{src.folder}、必須）",
                expected=f"フォルダ {src.folder}/ に {src.pattern} のファイル",
                found="フォルダなし",
            )
        ]
    return [
        InputProblem(
            file=display_name(folder),
            message=f"ファイル名が「{src.pattern}」に合うファイルがありません（必須）",
            expected=src.pattern,
            found="該当なし",
        )
    ]


def _none_by_cutoff(src: RawSource, data_dir: Path, fy: int) -> InputProblem:
    """A required source whose files are all dated after the fiscal year's cutoff."""
    cutoff = src.as_of(fy)
    return InputProblem(
        file=display_name(Path(data_dir) / src.folder),
        message=f"{wareki_fy(fy)}の作成に使える基準日（{wareki_date(cutoff)}以前）のファイルがありません（必須）",
        expected=f"基準日が{wareki_date(cutoff)}以前のファイル",
        found="すべて後の基準日",
    )


def reference_date(frame: pd.DataFrame) -> dt.date | None:
    """The reference date of one file's frame (its single ``date``), None when it has none."""
    if "date" in frame.columns and len(frame):
        dates = frame["date"].dropna().unique()
        if len(dates) == 1:
            return pd.Timestamp(dates[0]).date()
    return None


def _reference_key(frame: pd.DataFrame) -> tuple[str, str] | None:
    """What identifies one file's contents in time: its reference date (or the SSDSE edition)."""
    day = reference_date(frame)
    if day is not None:
        return (day.isoformat(), f"基準日（{wareki_date(day)}）")
    edition = frame.attrs.get("edition")
    if edition:
        return (str(edition), f"版（{edition}）")
    return None


Read = tuple["pd.DataFrame | None", list[InputProblem]]


def _read_file(src: RawSource, path: Path) -> Read:
    """One file through one reader: the frame, or the problems found in it."""
    try:
        return src.reader(path), []
    except InputError as e:
        return None, list(e.problems)
    except Exception as e:  # a reader bug must not hide the other files' problems
        return None, [
            InputProblem(
                file=display_name(path),
                message=f"読み取り中に想定外のエラーが発生しました（{type(e).__name__}: {e}）",
            )
        ]


def read_file_task(task: tuple[tuple[str, ...], Path]) -> dict[str, Read]:
    """Read one file for every source that uses it (both city-register sheets come from one workbook,
    parsed once). Module-level so that a process pool can run it."""
    ids, path = task
    return {sid: _read_file(source(sid), path) for sid in ids}


@dataclass
class SourceRead:
    """One source read for a fiscal year (or for all years)."""

    frame: pd.DataFrame  # the kept files' frames, combined
    kept: list[Path]  # the files the frame comes from, in name order
    dates: dict[Path, dt.date | None]  # every file read without problems → its reference date


def _read_all(
    src: RawSource, data_dir: Path, reads: dict[Path, Read] | None = None, fy: int | None = None
) -> tuple[list[tuple[Path, pd.DataFrame]], dict[Path, dt.date | None], list[InputProblem]]:
    """Every file of one source read (or taken from ``reads``); with ``fy``, the files dated after
    the source's cutoff are dropped. Returns the kept (path, frame) pairs, the reference date of
    every file read cleanly, and the problems."""
    problems: list[InputProblem] = []
    frames: list[tuple[Path, pd.DataFrame]] = []
    dates: dict[Path, dt.date | None] = {}
    found = files(src, data_dir)
    if not found and src.required:
        problems.extend(_missing_problems(src, data_dir))
    cutoff = None if fy is None else src.as_of(fy)
    first_with_key: dict[str, Path] = {}
    for path in found:
        frame, file_problems = reads[path] if reads is not None else _read_file(src, path)
        if frame is None:
            problems.extend(file_problems)
            continue
        dates[path] = reference_date(frame)
        if cutoff is not None and dates[path] is not None and dates[path] > cutoff:
            continue  # a later file: not an input of this fiscal year
        key = _reference_key(frame)
        if key is not None:
            if key[0] in first_with_key:
                problems.append(
                    InputProblem(
                        file=display_name(path),
                        message=f"{key[1]}が「{display_name(first_with_key[key[0]])}」と同じです"
                        "（同じ基準日のファイルは1つにしてください）",
                        expected="基準日ごとに1ファイル",
                        found=f"{first_with_key[key[0]].name} と {path.name}",
                    )
                )
                continue
            first_with_key[key[0]] = path
        frames.append((path, frame))
    if fy is not None and found and not frames and not problems and src.required:
        problems.append(_none_by_cutoff(src, data_dir, fy))
    return frames, dates, problems


def _combine(src: RawSource, frames: list[tuple[Path, pd.DataFrame]]) -> pd.DataFrame:
    if not frames:
        return empty_frame(src.schema)
    parts = [f for _p, f in frames]
    if "date" in src.schema.columns:
        parts.sort(key=lambda f: f["date"].min())
        out = pd.concat(parts, ignore_index=True)
    else:
        parts.sort(key=lambda f: str(f.attrs.get("edition", "")))
        out = pd.concat(parts, ignore_index=True)
        if src.edition_key:
            out = out.drop_duplicates(list(src.edition_key), keep="last").reset_index(drop=True)
    out.attrs = {}
    return out


def read_sources(
    ids: list[str],
    data_dir: Path,
    fy: int | None = None,
    map_fn: Callable[..., Iterable[dict[str, Read]]] = map,
) -> dict[str, SourceRead]:
    """Several sources read at once, with the files each frame comes from: each file is read once
    for all the sources that use it, and ``map_fn`` (e.g. a process pool's ``map``) may read the
    files in parallel. With ``fy``, each source keeps only its files dated on or before
    ``as_of(fy)``. Raises one InputError with every problem of every source."""
    data_dir = Path(data_dir)
    by_file: dict[Path, list[str]] = {}
    for sid in ids:
        for path in files(source(sid), data_dir):
            by_file.setdefault(path, []).append(sid)
    tasks = [(tuple(sids), path) for path, sids in by_file.items()]
    reads: dict[str, dict[Path, Read]] = {sid: {} for sid in ids}
    for (_sids, path), result in zip(tasks, map_fn(read_file_task, tasks), strict=True):
        for sid, read in result.items():
            reads[sid][path] = read
    out: dict[str, SourceRead] = {}
    failed: dict[str, list[InputProblem]] = {}
    for sid in ids:
        src = source(sid)
        frames, dates, found = _read_all(src, data_dir, reads[sid], fy)
        if found:
            failed[sid] = found
        else:
            out[sid] = SourceRead(_combine(src, frames), [p for p, _f in frames], dates)
    if failed:
        raise SourcesError(failed, out)
    return out


class SourcesError(InputError):
    """Some sources of a :func:`read_sources` call have problems: every problem (as an
    :class:`InputError`), which source each belongs to, and the sources that were read cleanly, so
    that a build can go on with the sections that do not need the failing ones."""

    def __init__(self, by_source: dict[str, list[InputProblem]], reads: dict[str, SourceRead]) -> None:
        self.by_source = by_source
        self.reads = reads
        super().__init__(_dedupe([p for found in by_source.values() for p in found]))


def load_many(
    ids: list[str],
    data_dir: Path,
    fy: int | None = None,
    map_fn: Callable[..., Iterable[dict[str, Read]]] = map,
) -> dict[str, pd.DataFrame]:
    """Like :func:`load` for several sources at once (see :func:`read_sources`)."""
    return {sid: r.frame for sid, r in read_sources(ids, data_dir, fy, map_fn).items()}


def load(id: str, data_dir: Path, fy: int | None = None) -> pd.DataFrame:
    """All files of one source read, checked and concatenated, sorted by reference date; with
    ``fy``, only the files dated on or before the source's cutoff ``as_of(fy)``.

    Raises one InputError listing every problem of every file (and a missing required folder/file,
    two files with the same reference date, and a required source with no file before the cutoff).
    An optional source without files gives an empty frame with the right columns. SSDSE-A editions
    are stacked oldest first and, where two editions hold the same item and year for an area, the
    newest edition's value is kept.
    """
    src = source(id)
    frames, _dates, problems = _read_all(src, Path(data_dir), fy=fy)
    if problems:
        raise InputError(_dedupe(problems))
    return _combine(src, frames)


def validate(data_dir: Path) -> list[InputProblem]:
    """Check every file of every source, whatever its date; every problem, in source order (an
    empty list: all good).

    A missing required folder or no matching file is a problem, and so are two files of one source
    with the same reference date. A file read by two sources (both city-register sheets come from the
    same workbook) is reported once.
    """
    problems: list[InputProblem] = []
    for src in SOURCES:
        _frames, _dates, found = _read_all(src, Path(data_dir))
        problems.extend(found)
    return _dedupe(problems)


def _dedupe(problems: list[InputProblem]) -> list[InputProblem]:
    return list(dict.fromkeys(problems))


__all__ = [
    "SOURCES",
    "RawSource",
    "SourceRead",
    "SourcesError",
    "citation",
    "files",
    "fiscal_year_start",
    "load",
    "load_many",
    "read_sources",
    "reference_date",
    "source",
    "validate",
]
