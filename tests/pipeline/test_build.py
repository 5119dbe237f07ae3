"""The whole build, for real: papermill execution, nbconvert HTML, the Excel workbook reopened,
the manifest checked against the files. Expected numbers are computed here straight from the raw
files with openpyxl / csv, independently of the package's readers and summaries."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

import nbformat
import openpyxl
import pytest

from komae_analysis.pipeline import registry as sections
from komae_analysis.pipeline.build import build
from komae_analysis.pipeline.registry import run_params as load_params

pytestmark = pytest.mark.slow
SECTION_IDS = [s.id for s in sections.SECTIONS]
ROOT_PARAMS = Path(__file__).resolve().parents[2] / "komae_analysis" / "params"
DATE_LABEL = re.compile(r"^(平成|令和)(\d+|元)年1月1日$")


def register_by_age(xlsx: Path) -> dict[int, int]:
    """age (100 = 100歳以上) → 計, summed over 町丁目, read with openpyxl from the city export."""
    ws = openpyxl.load_workbook(xlsx, read_only=True)["町丁目別年齢別人口"]
    out: dict[int, int] = defaultdict(int)
    for row in ws.iter_rows(min_row=6, values_only=True):
        if row[0] in (None, "合計"):
            continue
        out[int(re.match(r"\d+", row[3]).group())] += int(row[6])
    return out


def register_households(xlsx: Path) -> int:
    ws = openpyxl.load_workbook(xlsx, read_only=True)["町丁目別世帯数"]
    return sum(int(r[3]) for r in ws.iter_rows(min_row=6, values_only=True) if r[0] not in (None, "合計"))


def records(report: Path) -> dict[str, dict]:
    """section id → its ``sections/<id>.json`` record (what the section published)."""
    return {s.id: json.loads((report / "sections" / f"{s.id}.json").read_text(encoding="utf-8"))
            for s in sections.SECTIONS if (report / "sections" / f"{s.id}.json").exists()}


def table_number(report: Path, title_start: str) -> str:
    """The number the build gave the table whose title starts with ``title_start``."""
    found = [t["number"] for r in records(report).values() for t in r["tables"] if t["title"].startswith(title_start)]
    assert len(found) == 1, (title_start, found)
    return found[0]


def test_report_layout(built_report):
    fy = built_report.name
    assert fy == "FY2026"
    assert (built_report / "index.html").is_file()
    for sid in SECTION_IDS:
        assert (built_report / "html" / f"{sid}.html").stat().st_size > 10_000
        assert (built_report / "notebooks" / f"{sid}.ipynb").is_file()
    assert (built_report / "tables" / "appendix_FY2026.xlsx").is_file()
    pngs = sorted((built_report / "figures").rglob("*.png"))
    recs = records(built_report)
    assert set(recs) == set(SECTION_IDS)
    assert len(pngs) == sum(len(r["figures"]) for r in recs.values()) > 0
    assert all(p.stat().st_size > 5_000 for p in pngs)
    for s in sections.SECTIONS:  # numbers follow display order, from the section's prefix
        for kind, key in (("表", "tables"), ("図", "figures")):
            numbers = [x["number"] for x in recs[s.id][key]]
            assert numbers == [f"{kind}{s.numbering}-{n}" for n in range(1, len(numbers) + 1)]
    assert not list(built_report.parent.glob(".FY2026*")), "staging folder left behind"


def test_workbook_numbers_equal_raw_files(built_report, demo_data_dir):
    wb = openpyxl.load_workbook(built_report / "tables" / "appendix_FY2026.xlsx")
    assert wb.sheetnames[0] == "目次"
    all_tables = {t["number"] for r in records(built_report).values() for t in r["tables"]}
    assert all_tables <= set(wb.sheetnames)
    # every table in the contents sheet links to its own sheet
    links = {c.hyperlink.location.split("!")[0].strip("'") for row in wb["目次"].iter_rows() for c in row
             if c.hyperlink is not None and c.hyperlink.location}
    assert all_tables <= links

    ws = wb[table_number(built_report, "総人口・年齢3区分別人口・世帯数の推移")]
    rows = list(ws.iter_rows(values_only=True))
    header_i = next(i for i, r in enumerate(rows) if r[0] == "基準日")
    header = rows[header_i]
    body = {r[0]: dict(zip(header, r, strict=False)) for r in rows[header_i + 1:] if r[0] and DATE_LABEL.match(str(r[0]))}
    assert len(body) == 10
    for year, label in ((2026, "令和8年1月1日"), (2021, "令和3年1月1日"), (2019, "平成31年1月1日")):
        xlsx = demo_data_dir / "city_register" / f"juki_choume_age_{year}0101.xlsx"
        ages = register_by_age(xlsx)
        total = sum(ages.values())
        old = sum(v for a, v in ages.items() if a >= 65)
        got = body[label]
        assert got["総人口"] == total
        assert got["老年人口（65歳以上）"] == old
        assert got["年少人口（0～14歳）"] == sum(v for a, v in ages.items() if a <= 14)
        assert got["うち後期高齢者（75歳以上）"] == sum(v for a, v in ages.items() if a >= 75)
        assert got["高齢化率"] == pytest.approx(old / total * 100)  # Excel holds the percentage shown
        assert got["世帯数"] == register_households(xlsx)
    # the cell formats are the ones promised to the editors
    first = header_i + 2
    col = {h: i + 1 for i, h in enumerate(header)}
    assert ws.cell(first, col["総人口"]).number_format == '#,##0;"△"#,##0'
    assert ws.cell(first, col["高齢化率"]).number_format == '0.0;"△"0.0'


def test_manifest_traces_inputs(built_report, demo_data_dir):
    m = json.loads((built_report / "manifest.json").read_text(encoding="utf-8"))
    assert m["fiscal_year"] == 2026 and m["demo_data"] is True
    assert m["params"]["terms"]["care_verified"] == 9
    assert set(m["git"]) == {"commit", "dirty"}
    assert m["packages"]["papermill"] and m["packages"]["pandas"]
    assert m["kernel_warmup_errors"] == []  # every section ran in a kernel started ahead of it
    paths = {i["path"] for i in m["inputs"]}
    assert {f"city_register/juki_choume_age_{y}0101.xlsx" for y in range(2017, 2027)} <= paths
    assert {f"tokyo_juki_age5/dai7hyo_age5_{y}01.csv" for y in range(2017, 2027)} <= paths
    for i in m["inputs"]:
        data = (demo_data_dir / i["path"]).read_bytes()
        assert i["sha256"] == hashlib.sha256(data).hexdigest()
        assert i["size"] == len(data)
        assert i["citation"].startswith("出典")
    for s in m["sections"]:
        assert s["status"] == "ok" and s["seconds"] > 0
        for t in s["tables"]:
            assert (built_report / t["path"]).is_file()
        for f in s["figures"]:
            assert (built_report / f["path"]).is_file()


def test_html_pages_are_committee_ready(built_report):
    for sid in SECTION_IDS:
        html = (built_report / "html" / f"{sid}.html").read_text(encoding="utf-8")
        assert '<html lang="ja">' in html
        assert "デモデータ" in html
        assert not re.search(r"<script[^>]+src=", html), "external script left in the page"
        assert not re.search(r"""(src|href)=["']https?://""", html), "the page loads something from the network"
        assert not re.search(r'class="[^"]*(jp-CodeMirrorEditor|highlight|jp-InputPrompt)', html), "code cells visible"
        assert "ctx.show" not in html and "import " not in html
        assert "Traceback" not in html
    index = (built_report / "index.html").read_text(encoding="utf-8")
    assert "demo-banner" in index
    recs = records(built_report)
    for r in recs.values():
        for x in r["tables"] + r["figures"]:
            assert f"{x['number']}　{x['title']}" in index
    # every table link of the contents page lands on an element of its section page
    for page, anchor in re.findall(r'href="(html/[^"#]+)#([^"]+)"', index):
        assert f'id="{anchor}"' in (built_report / page).read_text(encoding="utf-8"), (page, anchor)
    assert len(re.findall(r'href="html/[^"#]+#', index)) == sum(len(r["tables"]) for r in recs.values())


def test_index_shows_the_whole_appendix_and_marks_what_is_missing(built_report):
    index = (built_report / "index.html").read_text(encoding="utf-8")
    params = load_params(2026)
    positions = []
    for part in sections.OUTLINE:
        heading = f"{part.heading}　{part.title_for(params)}"
        assert heading in index, heading
        positions.append(index.index(heading))
        built = [s for s in sections.SECTIONS if s.part == part.key]
        after = index[index.index(heading) + len(heading):][:40]
        assert ("（未作成）" in after) == (not built), heading
    assert positions == sorted(positions), "parts out of order"
    assert "第1節 第6款　第9期介護保険事業計画値の検証" in index  # the verified term of FY2026
    assert "第1節 第7款　第7期障がい福祉計画・第3期障がい児福祉計画値の検証" in index


def test_build_time_is_japan_time_in_wareki(built_report):
    import datetime as dt

    m = json.loads((built_report / "manifest.json").read_text(encoding="utf-8"))
    built = dt.datetime.fromisoformat(m["built_at"])
    assert built.utcoffset() == dt.timedelta(hours=9)
    index = (built_report / "index.html").read_text(encoding="utf-8")
    era_year = built.year - 2018  # 令和 (the build runs after 2019)
    day = f"令和{'元' if era_year == 1 else era_year}年{built.month}月{built.day}日 {built:%H:%M}（日本時間）"
    assert day in index


def test_index_lists_each_input_file_once(built_report):
    index = (built_report / "index.html").read_text(encoding="utf-8")
    m = json.loads((built_report / "manifest.json").read_text(encoding="utf-8"))
    for path in {i["path"] for i in m["inputs"]}:
        assert index.count(f"<td>{path}</td>") == 1, path


def test_no_missing_glyph_warning(built_report):
    for sid in SECTION_IDS:
        nb = nbformat.read(built_report / "notebooks" / f"{sid}.ipynb", as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                text = out.get("text", "") + json.dumps(out.get("data", {}), ensure_ascii=False)
                assert "Glyph" not in text and "missing from font" not in text
                assert out.get("output_type") != "error"


def test_commentary_is_generated_from_the_numbers(built_report, demo_data_dir):
    html = (built_report / "html" / "02a_population.html").read_text(encoding="utf-8")
    ages = register_by_age(demo_data_dir / "city_register" / "juki_choume_age_20260101.xlsx")
    prev = register_by_age(demo_data_dir / "city_register" / "juki_choume_age_20250101.xlsx")
    total, before = sum(ages.values()), sum(prev.values())
    commentary = " ".join(re.findall(r"<p>([^<]*総人口[^<]*)</p>", html))
    assert f"{total:,}人" in commentary
    assert f"{abs(total - before):,}人" in commentary


def test_fy2023_build_uses_its_own_dates(tmp_path, demo_data_dir):
    result = build(load_params(2023), data_dir=demo_data_dir, out_base=tmp_path, only=["02a_population"],
                   jobs=1, echo=lambda _m: None)
    assert result.ok and result.report_dir.name == "FY2023"
    html = (result.report_dir / "html" / "02a_population.html").read_text(encoding="utf-8")
    assert "令和5年1月1日" in html
    assert "令和8年" not in html and "令和6年1月1日" not in html and "令和7年1月1日" not in html
    assert "令和5年度（2023年度）" in html
    wb = openpyxl.load_workbook(result.report_dir / "tables" / "appendix_FY2023.xlsx")
    sheet = wb[table_number(result.report_dir, "総人口・年齢3区分別人口・世帯数の推移")]
    labels = [r[0] for r in sheet.iter_rows(values_only=True) if r[0] and DATE_LABEL.match(str(r[0]))]
    assert labels[0] == "平成29年1月1日" and labels[-1] == "令和5年1月1日"
    ages = register_by_age(demo_data_dir / "city_register" / "juki_choume_age_20230101.xlsx")
    assert f"{sum(ages.values()):,}人" in html
    # the build lists (and read) only the files of its own years, each once
    m = json.loads((result.report_dir / "manifest.json").read_text(encoding="utf-8"))
    years = {int(re.search(r"(20\d\d)", i["path"]).group(1)) for i in m["inputs"]}
    assert years == set(range(2017, 2024))
    assert len({i["path"] for i in m["inputs"]}) == 14  # 7 register workbooks + 7 第7表 CSVs


def test_only_rebuilds_one_section_and_keeps_the_others(built_report, tmp_path, demo_data_dir):
    import shutil

    out = tmp_path / "reports"
    shutil.copytree(built_report, out / "FY2026")
    before = (out / "FY2026" / "html" / "02b_population_areas.html").read_bytes()
    kept_inode = (out / "FY2026" / "html" / "02b_population_areas.html").stat().st_ino
    stale = out / ".FY2026.staging-999999999"  # left by a killed build (no such process)
    stale.mkdir()
    result = build(load_params(2026), data_dir=demo_data_dir, out_base=out, only=["02a_population"], jobs=1,
                   echo=lambda _m: None)
    assert result.ok
    report = out / "FY2026"
    assert not stale.exists()
    assert sorted(p.name for p in out.iterdir()) == ["FY2026"]
    assert (report / "html" / "02b_population_areas.html").read_bytes() == before
    m = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    built = {s["id"]: s["built_in_this_run"] for s in m["sections"]}
    assert built == {s.id: s.id == "02a_population" for s in sections.SECTIONS}
    wb = openpyxl.load_workbook(report / "tables" / "appendix_FY2026.xlsx")
    all_tables = {t["number"] for r in records(report).values() for t in r["tables"]}
    assert {n for n in all_tables if n.startswith("表2-2-")} and all_tables <= set(wb.sheetnames)
    index = (report / "index.html").read_text(encoding="utf-8")
    assert all(n in index for n in all_tables)
    # the kept section's files are the published ones, linked into the new report (not copied)
    assert (report / "html" / "02b_population_areas.html").stat().st_ino == kept_inode


def test_concurrent_builds_leave_an_intact_report(built_report, tmp_path, demo_data_dir):
    """Three builds of the same report at once (two partial, one full): each publishes in turn, and
    what is published at the end is a whole report whose links and workbook are complete."""
    import os
    import shutil
    import subprocess
    import sys

    out = tmp_path / "reports"
    shutil.copytree(built_report, out / "FY2026")
    env = {**os.environ, "KOMAE_PROCESSED_DIR": str(tmp_path / "processed")}
    base = [sys.executable, "-m", "komae_analysis", "build", "--fy", "2026", "--data-dir", str(demo_data_dir),
            "--out", str(out), "--jobs", "1"]
    ids = [s.id for s in sections.SECTIONS]
    runs = [subprocess.Popen([*base, "--only", ids[0]], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
            subprocess.Popen([*base, "--only", ids[-1]], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
            subprocess.Popen(base, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)]
    for p in runs:
        _out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode("utf-8", "replace")
    report = out / "FY2026"
    assert sorted(p.name for p in out.iterdir()) == ["FY2026"]
    m = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert {s["id"]: s["status"] for s in m["sections"]} == {i: "ok" for i in ids}
    recs = records(report)
    wb = openpyxl.load_workbook(report / "tables" / "appendix_FY2026.xlsx")
    for r in recs.values():
        for x in r["tables"] + r["figures"]:
            assert x["number"] in wb.sheetnames
    index = (report / "index.html").read_text(encoding="utf-8")
    for page, _anchor in re.findall(r'href="(html/[^"#]+)#([^"]+)"', index):
        assert (report / page).is_file()


def test_custom_params_file_reaches_the_notebooks(tmp_path, demo_data_dir):
    """A params file of the analysts' own (here: a 5-year trend) drives the notebooks."""
    text = (ROOT_PARAMS / "FY2026.yaml").read_text(encoding="utf-8")
    assert "trend_years: 10" in text
    custom = tmp_path / "my_params.yaml"
    custom.write_text(text.replace("trend_years: 10", "trend_years: 5"), encoding="utf-8")
    result = build(load_params(path=custom), data_dir=demo_data_dir, out_base=tmp_path / "out",
                   only=["02a_population"], jobs=1, echo=lambda _m: None)
    assert result.ok
    wb = openpyxl.load_workbook(result.report_dir / "tables" / "appendix_FY2026.xlsx")
    sheet = wb[table_number(result.report_dir, "総人口・年齢3区分別人口・世帯数の推移")]
    labels = [r[0] for r in sheet.iter_rows(values_only=True) if r[0] and DATE_LABEL.match(str(r[0]))]
    assert labels == ["令和4年1月1日", "令和5年1月1日", "令和6年1月1日", "令和7年1月1日", "令和8年1月1日"]
    m = json.loads((result.report_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["params"]["population"]["trend_years"] == 5
    assert m["params_file"] == str(custom)


def test_repeated_builds_leave_no_kernels_threads_or_open_files(tmp_path, demo_data_dir):
    """A long-lived process (JupyterLab, a scheduler) may build many times: nothing may pile up."""
    import os
    import threading

    def state():
        return len(os.listdir("/proc/self/fd")), threading.active_count()

    # three sections on two workers: a kernel per worker and one started ahead for the third
    chosen = [s.id for s in sections.SECTIONS[:3]]

    def once(n):
        r = build(load_params(2026), data_dir=demo_data_dir, out_base=tmp_path / str(n), only=chosen, jobs=2,
                  echo=lambda _m: None)
        assert r.ok
        m = json.loads((r.report_dir / "manifest.json").read_text(encoding="utf-8"))
        assert m["kernel_warmup_errors"] == []

    import gc

    once(0)
    gc.collect()  # objects left by earlier tests close their files when collected; ours must not need it
    before = state()
    once(1)
    once(2)
    fds, threads = state()
    assert fds <= before[0] and threads <= before[1]
    kernels = [p for p in os.listdir("/proc") if p.isdigit() and _is_kernel_of(int(p), os.getpid())]
    assert kernels == []


def _is_kernel_of(pid: int, parent: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return int(stat[1]) == parent and b"ipykernel_launcher" in cmd


def test_every_section_builds_for_the_fy2023_params(tmp_path, demo_data_dir):
    """The previous formulation year (令和5年度: 第8期・第6期・第2期 verified) builds whole from the same
    data set, each section with only the files dated up to its cutoff."""
    from komae_analysis.pipeline.registry import SECTIONS

    messages: list[str] = []
    result = build(load_params(2023), data_dir=demo_data_dir, out_base=tmp_path, jobs=2, echo=messages.append)
    assert result.ok, messages
    built = {p.stem for p in (result.report_dir / "html").glob("*.html")}
    assert built == {s.id for s in SECTIONS}
    for s in SECTIONS:
        html = (result.report_dir / "html" / f"{s.id}.html").read_text(encoding="utf-8")
        assert "令和5年度（2023年度）" in html, s.id


def test_a_kernel_that_dies_while_starting_is_replaced_once(tmp_path, demo_data_dir, monkeypatch):
    """jupyter_client chooses a kernel's ports before the kernel binds them; another process may take
    one meanwhile and the kernel dies at start. The section then runs in a fresh kernel; a notebook
    that really fails is not run twice."""
    import papermill

    from komae_analysis.ingest import cache
    from komae_analysis.pipeline.runner import run_section

    real = papermill.execute_notebook
    calls: list[object] = []

    def flaky(*args, **kwargs):
        calls.append(kwargs.get("km"))
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    params = load_params(2026)
    cache.prepare(list(sections.get("02a_population").inputs), 2026, demo_data_dir)
    r = run_section("02a_population", params.source_file, 2026, str(demo_data_dir), str(tmp_path))
    assert r.status == "ok" and len(calls) == 2 and (tmp_path / "html" / "02a_population.html").exists()

    def broken(*args, **kwargs):
        calls.append(kwargs.get("km"))
        raise RuntimeError("NameError in cell 3")

    calls.clear()
    monkeypatch.setattr(papermill, "execute_notebook", broken)
    r = run_section("02a_population", params.source_file, 2026, str(demo_data_dir), str(tmp_path / "b"))
    assert r.status == "failed" and len(calls) == 1
