"""The catalogue of raw inputs: where each lives under ``data/raw/``, what it is, who provides it and
which reader reads it. Used by ``komae validate``, the build and the manifest.

Nothing here writes anything, anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from komae_analysis.calendar import wareki_date
from komae_analysis.errors import InputError, InputProblem, display_name

if TYPE_CHECKING:
    import pandas as pd

# The readers (pandas, pandera) are imported only when a file is read: listing the files of a
# source, as a notebook does to check its processed cache, stays cheap.


@dataclass(frozen=True)
class RawSource:
    """One kind of raw input: a folder under the data dir holding one file per reference date."""

    id: str  # e.g. "tokyo_juki_age5"
    folder: str  # relative to the data dir, e.g. "tokyo_juki_age5", "city_register"
    pattern: str  # glob, e.g. "*.csv", "juki_choume_age_*.xlsx"
    title_ja: str  # e.g. 住民基本台帳による東京都の世帯と人口 第7表
    source_ja: str  # the 出典 line
    provider_ja: str  # who gives it to the analysts
    reader_name: str  # a function of komae_analysis.ingest.population
    required: bool

    @property
    def reader(self) -> Callable[[Path], pd.DataFrame]:
        from komae_analysis.ingest import population

        return getattr(population, self.reader_name)


SOURCES: tuple[RawSource, ...] = (
    RawSource(
        id="tokyo_juki_age5",
        folder="tokyo_juki_age5",
        pattern="*.csv",
        title_ja=(
            "住民基本台帳による東京都の世帯と人口 第7表"
            "（区市町村、年齢（5歳階級）、日本人、外国人及び男女別人口）"
        ),
        source_ja="出典：東京都総務局統計部「住民基本台帳による東京都の世帯と人口」",
        provider_ja="東京都総務局統計部（「東京都の統計」ウェブサイトで公表、各年1月1日現在）",
        reader_name="read_tokyo_juki_age5",
        required=True,
    ),
    RawSource(
        id="city_register_population",
        folder="city_register",
        pattern="juki_choume_age_*.xlsx",
        title_ja="住民基本台帳 町丁目別・年齢（各歳）別人口",
        source_ja="出典：狛江市「住民基本台帳」（外国人住民を含む）",
        provider_ja="狛江市 市民課（住民基本台帳システムからの抽出）",
        reader_name="read_city_register_population",
        required=True,
    ),
    RawSource(
        id="city_register_households",
        folder="city_register",
        pattern="juki_choume_age_*.xlsx",
        title_ja="住民基本台帳 町丁目別世帯数・人口",
        source_ja="出典：狛江市「住民基本台帳」（外国人住民を含む）",
        provider_ja="狛江市 市民課（住民基本台帳システムからの抽出）",
        reader_name="read_city_register_households",
        required=True,
    ),
    RawSource(
        id="soumu_juki_municipal",
        folder="soumu_juki_municipal",
        pattern="*.csv",
        title_ja="住民基本台帳に基づく人口、人口動態及び世帯数（市区町村別）",
        source_ja="出典：総務省「住民基本台帳に基づく人口、人口動態及び世帯数」",
        provider_ja="総務省自治行政局（e-Statで公表、各年1月1日現在）",
        reader_name="read_soumu_juki_municipal",
        required=False,
    ),
    RawSource(
        id="ssdse_a",
        folder="ssdse_a",
        pattern="*.csv",
        title_ja="教育用標準データセット SSDSE-A（市区町村）",
        source_ja="出典：独立行政法人統計センター「教育用標準データセット（SSDSE）」",
        provider_ja="独立行政法人統計センター（ウェブサイトで公開）",
        reader_name="read_ssdse_a",
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


def files(src: RawSource, data_dir: Path) -> list[Path]:
    """The files of one source, sorted by name (Excel lock files ``~$…`` and hidden files skipped)."""
    folder = Path(data_dir) / src.folder
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(src.pattern) if p.is_file() and not p.name.startswith(("~$", ".")))


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


def _reference_key(frame: pd.DataFrame) -> tuple[str, str] | None:
    """What identifies one file's contents in time: its reference date (or the SSDSE edition)."""
    if "date" in frame.columns and len(frame):
        dates = frame["date"].dropna().unique()
        if len(dates) == 1:
            import pandas as pd

            day = pd.Timestamp(dates[0]).date()
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


def _read_all(
    src: RawSource, data_dir: Path, reads: dict[Path, Read] | None = None
) -> tuple[list[tuple[Path, pd.DataFrame]], list[InputProblem]]:
    problems: list[InputProblem] = []
    frames: list[tuple[Path, pd.DataFrame]] = []
    found = files(src, data_dir)
    if not found and src.required:
        problems.extend(_missing_problems(src, data_dir))
    first_with_key: dict[str, Path] = {}
    for path in found:
        frame, file_problems = reads[path] if reads is not None else _read_file(src, path)
        if frame is None:
            problems.extend(file_problems)
            continue
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
    return frames, problems


def _combine(src: RawSource, frames: list[tuple[Path, pd.DataFrame]]) -> pd.DataFrame:
    import pandas as pd

    from komae_analysis.ingest.schemas import SCHEMAS, empty_frame

    schema = SCHEMAS[src.id]
    if not frames:
        return empty_frame(schema)
    parts = [f for _p, f in frames]
    if "date" in schema.columns:
        parts.sort(key=lambda f: f["date"].min())
        out = pd.concat(parts, ignore_index=True)
    else:
        parts.sort(key=lambda f: str(f.attrs.get("edition", "")))
        out = pd.concat(parts, ignore_index=True)
        out = out.drop_duplicates(["area_code", "item_code", "year"], keep="last").reset_index(drop=True)
    out.attrs = {}
    return out


def load_many(
    ids: list[str], data_dir: Path, map_fn: Callable[..., Iterable[dict[str, Read]]] = map
) -> dict[str, pd.DataFrame]:
    """Like :func:`load` for several sources at once: each file is read once for all the sources that
    use it, and ``map_fn`` (e.g. a process pool's ``map``) may read the files in parallel. Raises one
    InputError with every problem of every source."""
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
    out: dict[str, pd.DataFrame] = {}
    problems: list[InputProblem] = []
    for sid in ids:
        src = source(sid)
        frames, found = _read_all(src, data_dir, reads[sid])
        problems.extend(found)
        out[sid] = _combine(src, frames)
    if problems:
        raise InputError(_dedupe(problems))
    return out


def load(id: str, data_dir: Path) -> pd.DataFrame:
    """All files of one source read, checked and concatenated, sorted by reference date.

    Raises one InputError listing every problem of every file (and a missing required folder/file,
    and two files with the same reference date). An optional source without files gives an empty
    frame with the right columns. SSDSE-A editions are stacked oldest first and, where two editions
    hold the same item and year for an area, the newest edition's value is kept.
    """
    src = source(id)
    frames, problems = _read_all(src, Path(data_dir))
    if problems:
        raise InputError(_dedupe(problems))
    return _combine(src, frames)


def validate(data_dir: Path) -> list[InputProblem]:
    """Check every file of every source; every problem, in source order (an empty list: all good).

    A missing required folder or no matching file is a problem, and so are two files of one source
    with the same reference date. A file read by two sources (both city-register sheets come from the
    same workbook) is reported once.
    """
    problems: list[InputProblem] = []
    for src in SOURCES:
        _frames, found = _read_all(src, Path(data_dir))
        problems.extend(found)
    return _dedupe(problems)


def _dedupe(problems: list[InputProblem]) -> list[InputProblem]:
    return list(dict.fromkeys(problems))


__all__ = ["SOURCES", "RawSource", "files", "load", "load_many", "source", "validate"]
