"""Bad input, end to end: the bundled demo data with one thing broken, through ``komae build`` and
``komae validate``. Each case must stop with exit code 1, a specific Japanese message that names
the file and the place, no traceback, and nothing written to the reports folder.

(The readers' own tests, tests/ingest/test_ingest_bad_inputs.py, check every message field by field on
small built files; these check that the same problems reach a user of the command line.)"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from komae_analysis.cli import main

TOKYO = "tokyo_juki_age5/dai7hyo_age5_202601.csv"
CITY = "city_register/juki_choume_age_20260101.xlsx"


def _lines(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_bytes().decode("cp932").split("\r\n")]


def _write(path: Path, rows: list[list[str]]) -> None:
    path.write_bytes("\r\n".join(",".join(r) for r in rows).encode("cp932"))


def _line_of(rows: list[list[str]], code: str, age: str) -> int:
    """1-based line of the (area, age) row."""
    return next(i for i, r in enumerate(rows, 1) if len(r) > 4 and r[1] == code and r[4] == age)


def drop_column(data: Path) -> str:
    p = data / TOKYO
    _write(p, [r[:13] if len(r) == 14 else r for r in _lines(p)])
    return "列『外国人／女(人)』がありません"


def header_moved(data: Path) -> str:
    p = data / TOKYO
    rows = _lines(p)
    _write(p, [["住民基本台帳による東京都の世帯と人口"] + [""] * 13, *rows])
    return "見出し行は1行目にあるはずですが、2行目にあります"


def _set_cell(data: Path, code: str, age: str, col: int, value: str) -> int:
    """Write ``value`` into column ``col`` of the (area, age) row; its 1-based line."""
    p = data / TOKYO
    rows = _lines(p)
    i = _line_of(rows, code, age)
    rows[i - 1][col] = value
    _write(p, rows)
    return i


def text_in_count(data: Path) -> str:
    i = _set_cell(data, "13219", "20～24", 9, "約500")
    return f"{i}行目 列「日本人／男(人)」: 数値ではありません"


def negative_count(data: Path) -> str:
    i = _set_cell(data, "13221", "30～34", 12, "-3")
    return f"{i}行目 列「外国人／男(人)」: 負の数は使えません"


def duplicated_row(data: Path) -> str:
    p = data / TOKYO
    rows = _lines(p)
    i = _line_of(rows, "13219", "65～69")
    rows.insert(i, list(rows[i - 1]))
    _write(p, rows)
    return f"{i + 1}行目"


def unknown_area(data: Path) -> str:
    p = data / TOKYO
    rows = _lines(p)
    for r in rows:
        if len(r) > 2 and r[1] == "13225":
            r[1] = "13999"
    _write(p, rows)
    return "東京都の地域コードにありません"


def garbage_bytes(data: Path) -> str:
    (data / TOKYO).write_bytes(bytes(range(128, 256)) * 40)
    return "文字コードを判別できません"


def empty_file(data: Path) -> str:
    (data / TOKYO).write_bytes(b"")
    return "ファイルが空です"


def total_row_mismatch(data: Path) -> str:
    p = data / TOKYO
    rows = _lines(p)
    i = _line_of(rows, "13219", "総数")
    for col in (5, 6, 8, 9):  # 総数／計, 総数／男, 日本人／計, 日本人／男 stay consistent within the row
        rows[i - 1][col] = str(int(rows[i - 1][col]) + 7)
    _write(p, rows)
    return f"{i}行目 列「総数／計(人)」: 狛江市（13219）の年齢別の行の合計が総数行と合いません"


def missing_sheet(data: Path) -> str:
    p = data / CITY
    wb = openpyxl.load_workbook(p)
    wb["町丁目別世帯数"].title = "世帯数"
    wb.save(p)
    return "シート「町丁目別世帯数」: シート『町丁目別世帯数』がありません"


def unknown_choume(data: Path) -> str:
    p = data / CITY
    wb = openpyxl.load_workbook(p)
    ws = wb["町丁目別年齢別人口"]
    ws["A6"] = "0199"
    wb.save(p)
    return "6行目 列「町丁目コード」: 町丁目コード「0199」は狛江市の町丁目にありません"


CASES: dict[str, tuple[str, Callable[[Path], str]]] = {
    "missing_column": (TOKYO, drop_column),
    "header_on_another_row": (TOKYO, header_moved),
    "text_in_a_count": (TOKYO, text_in_count),
    "negative_count": (TOKYO, negative_count),
    "duplicated_row": (TOKYO, duplicated_row),
    "unknown_area_code": (TOKYO, unknown_area),
    "wrong_encoding": (TOKYO, garbage_bytes),
    "empty_file": (TOKYO, empty_file),
    "ages_do_not_add_up_to_total": (TOKYO, total_row_mismatch),
    "missing_sheet": (CITY, missing_sheet),
    "unknown_choume_code": (CITY, unknown_choume),
}


def _sections_reading(file: str) -> list[str]:
    from komae_analysis.ingest.registry import source
    from komae_analysis.pipeline.registry import SECTIONS

    folder = file.split("/")[0]
    return [s.id for s in SECTIONS if any(source(i).folder == folder for i in s.inputs)]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, demo_data_dir) -> Path:
    """The demo data of the two latest reference dates only: enough for every input check, and the
    build stops at the inputs anyway."""
    dst = tmp_path_factory.mktemp("pristine") / "raw"
    keep = ("202501", "202601", "20250101", "20260101")
    shutil.copytree(demo_data_dir, dst, ignore=lambda _d, names: [
        n for n in names if n.endswith((".csv", ".xlsx")) and not any(k in n for k in keep)
    ])
    return dst


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_stops_build_and_validate(case, pristine, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KOMAE_PROCESSED_DIR", str(tmp_path / "processed"))
    data = tmp_path / "raw"
    shutil.copytree(pristine, data)
    file, breaker = CASES[case]
    expected = breaker(data)
    out = tmp_path / "reports"

    # the sections that read the broken file (a build of all sections would build the others: see
    # test_a_failing_source_stops_only_its_sections)
    only = _sections_reading(file)
    assert main(["build", "--data-dir", str(data), "--out", str(out), "--only", *only]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if Path(file).name in line]
    assert lines, err
    assert any(expected in line for line in lines), err
    assert "reports/ は変更していません" in err
    assert not out.exists() or not any(out.iterdir()), "something was written to the reports folder"

    assert main(["validate", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert any(expected in line and Path(file).name in line for line in err.splitlines()), err


def test_cp932_and_utf8_copies_build_the_same_numbers(pristine, tmp_path):
    """The 東京都 file as the city may receive it: cp932 (as bundled) or UTF-8 with BOM."""
    from komae_analysis.ingest import cache

    data = tmp_path / "raw"
    shutil.copytree(pristine, data)
    p = data / TOKYO
    p.write_bytes(p.read_bytes().decode("cp932").encode("utf-8-sig"))
    a = cache.load("tokyo_juki_age5", 2026, pristine, processed_base=tmp_path / "p1")
    b = cache.load("tokyo_juki_age5", 2026, data, processed_base=tmp_path / "p2")
    assert a.equals(b)


def test_a_failing_source_stops_only_its_sections(demo_data_dir, tmp_path, capsys, monkeypatch):
    """A broken city-register workbook stops the sections that read it; the others are built (kept
    beside the published report for checking, not published), the messages name the file and the
    sections stopped, and the exit code is 1."""
    from komae_analysis.ingest.registry import source
    from komae_analysis.pipeline.registry import SECTIONS

    def reads_city(s) -> bool:
        return any(source(i).folder == "city_register" for i in s.inputs)

    stopped = [s.id for s in SECTIONS if reads_city(s)]
    others = [s.id for s in SECTIONS if not reads_city(s)]
    if not others:
        pytest.skip("every registered section reads the city register")
    monkeypatch.setenv("KOMAE_PROCESSED_DIR", str(tmp_path / "processed"))
    data = tmp_path / "raw"
    shutil.copytree(demo_data_dir, data)
    expected = missing_sheet(data)
    out = tmp_path / "reports"

    assert main(["build", "--data-dir", str(data), "--out", str(out), "--only", *stopped[:1], *others[:1]]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert any(expected in line and Path(CITY).name in line for line in captured.err.splitlines()), captured.err
    assert f"{stopped[0]} を作成しませんでした" in captured.err
    assert not (out / "FY2026").exists(), "a build with an input problem must not publish"
    failed = out / "FY2026.failed"
    assert (failed / "html" / f"{others[0]}.html").exists()
    assert not (failed / "html" / f"{stopped[0]}.html").exists()
    index = (failed / "index.html").read_text(encoding="utf-8")
    assert "元の統計データに問題があるため作成していません" in index
    assert f"komae build --only {others[0]}" in captured.out
