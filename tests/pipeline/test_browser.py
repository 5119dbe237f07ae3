"""Open the committee pages in a real headless Chromium (Debian's, driven by Playwright) and check
that what a committee member sees actually rendered: table titles in the DOM text, every image
loaded with a non-zero size, no visible code."""

from __future__ import annotations

import json
import shutil

import pytest

from komae_analysis.pipeline import registry as sections

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium がありません（CI では .ci/run が Debian の chromium を入れます）")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _open(browser, path):
    page = browser.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, failed


@pytest.mark.parametrize("section_id", [s.id for s in sections.SECTIONS])
def test_section_page_renders(browser, built_report, section_id):
    page, failed = _open(browser, built_report / "html" / f"{section_id}.html")
    assert page.evaluate("document.documentElement.lang") == "ja"
    text = page.inner_text("body")
    assert "出典" in text
    assert "デモデータ" in text
    # what the section published (its record) is what the page shows: every table, every figure
    record = json.loads((built_report / "sections" / f"{section_id}.json").read_text(encoding="utf-8"))
    imgs = page.evaluate(
        "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight, i.alt])"
    )
    assert len(imgs) == len(record["figures"])
    for complete, w, h, alt in imgs:
        assert complete and w > 0 and h > 0
        assert alt.strip()
    assert page.locator("table.komae-table").count() == len(record["tables"])
    for t in record["tables"]:
        assert t["number"] in text and t["title"] in text
    assert page.locator(".jp-MarkdownCell").count() >= 1  # the title and commentary cells are there
    # no visible code: no input areas, no code-mirror editors, no Python source in the text
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .CodeMirror, .highlight").count() == 0
    assert "ctx.show" not in text and "open_section" not in text
    for word in ("入力", "処理・出力", "自動で作成", "parameters", "papermill"):
        assert word not in text, f"pipeline word on a committee page: {word}"
    # numbers right-aligned, text left, column heads centred, as rendered (JupyterLab's CSS included)
    align = page.evaluate(
        "() => ({num: [...document.querySelectorAll('table.komae-table td.num')].map(e => getComputedStyle(e).textAlign),"
        " text: [...document.querySelectorAll('table.komae-table td.text')].map(e => getComputedStyle(e).textAlign),"
        " head: [...document.querySelectorAll('table.komae-table thead th')].map(e => getComputedStyle(e).textAlign)})"
    )
    assert align["num"] and set(align["num"]) == {"right"}
    assert set(align["text"]) <= {"left", "start"}
    assert set(align["head"]) == {"center"}
    assert failed == [], f"requests failed (page must work offline): {failed}"
    page.close()


def test_section_page_table_title(browser, built_report):
    page, _ = _open(browser, built_report / "html" / "02a_population.html")
    text = page.inner_text("body")
    assert "表2-1-1" in text and "総人口・年齢3区分別人口・世帯数の推移" in text
    page.close()


def test_index_page_shows_structure_and_build_record(browser, built_report):
    page, _ = _open(browser, built_report / "index.html")
    text = page.inner_text("body")
    unbuilt = [p for p in sections.OUTLINE if not any(s.part == p.key for s in sections.SECTIONS)]
    assert text.count("（未作成）") == len(unbuilt) > 0
    assert "（日本時間）" in text and "作成の記録" in text
    page.close()


def test_index_page_links_work(browser, built_report):
    page, failed = _open(browser, built_report / "index.html")
    text = page.inner_text("body")
    assert "デモデータ" in text and "使用したデータ" in text
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    local = [h for h in hrefs if h and not h.startswith(("http", "#"))]
    assert local
    for h in local:
        assert (built_report / h.split("#")[0]).exists(), h
    assert failed == []
    page.close()
