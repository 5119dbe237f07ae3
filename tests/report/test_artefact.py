"""The base of tables and figures: numbering, 出典/注 lines, shared checks and metadata files."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from komae_analysis.report.artefact import Artefact, check_number, note_line, slug, source_line
from komae_analysis.report.charts import AppendixFigure
from komae_analysis.report.tables import AppendixTable

PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def table(**kw) -> AppendixTable:
    args = {"title": "人口", "frame": pd.DataFrame({"人口": [1]}), "source": "狛江市「住民基本台帳」"}
    args.update(kw)
    return AppendixTable(**args)


def figure(tmp_path, **kw) -> AppendixFigure:
    png = tmp_path / "in.png"
    png.write_bytes(PNG_1x1)
    args = {"title": "推移", "figure": None, "png_path": png, "alt": "説明", "source": "狛江市"}
    args.update(kw)
    return AppendixFigure(**args)


def test_both_kinds_share_the_base(tmp_path):
    assert isinstance(table(), Artefact) and isinstance(figure(tmp_path), Artefact)
    assert AppendixTable.KIND == "表" and AppendixFigure.KIND == "図"


def test_lines():
    assert source_line("狛江市「住民基本台帳」") == "出典：狛江市「住民基本台帳」"
    assert source_line("資料：狛江市") == "資料：狛江市"
    assert note_line("各年1月1日現在。") == "注：各年1月1日現在。"
    assert note_line("※ 速報値") == "※ 速報値"
    t = table(notes=["a", " ", "注2：b"])
    assert t.source_line() == "出典：狛江市「住民基本台帳」"
    assert t.note_lines() == ["注：a", "注2：b"]
    assert table(notes="一つだけ").notes == ["一つだけ"]


@pytest.mark.parametrize("make", ["table", "figure"])
def test_number_optional_until_saved(tmp_path, make):
    item = table() if make == "table" else figure(tmp_path)
    assert item.number == ""
    with pytest.raises(ValueError, match="番号がありません"):
        item.save(tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with pytest.raises(ValueError, match="番号がありません"):
        _ = item.slug
    item.number = f"{item.KIND}2-1-1"
    item.section = "02a_population"
    saved = item.save(tmp_path / "out")
    assert saved.exists()


@pytest.mark.parametrize("make", ["table", "figure"])
def test_common_checks(tmp_path, make):
    build = table if make == "table" else (lambda **kw: figure(tmp_path, **kw))
    with pytest.raises(ValueError, match="表題"):
        build(title=" ")
    with pytest.raises(ValueError, match="出典"):
        build(source="")
    with pytest.raises(TypeError, match="注"):
        build(notes=[1])
    with pytest.raises(ValueError, match="シート名"):
        build(number="表1:2")


def test_figure_metadata_round_trip(tmp_path):
    f = figure(tmp_path, number="図2-1-1", section="02a_population", notes=["各年1月1日現在。"])
    png = f.save(tmp_path / "figs")
    meta = json.loads((tmp_path / "figs" / "fig2-1-1.json").read_text(encoding="utf-8"))
    assert meta["kind"] == "komae_appendix_figure" and meta["png"] == png.name
    assert (meta["width_px"], meta["height_px"]) == (1, 1)
    g = AppendixFigure.load(tmp_path / "figs" / "fig2-1-1.json")
    for attr in ("number", "title", "alt", "source", "section", "notes"):
        assert getattr(g, attr) == getattr(f, attr), attr
    with pytest.raises(ValueError, match="図のメタデータではありません"):
        AppendixFigure.load(table(number="表2-1-1").save(tmp_path / "t"))


def test_check_number_and_slug():
    assert check_number("図2-1-1", kind="図") == "図2-1-1"
    with pytest.raises(ValueError, match="図番号が空です"):
        check_number("", kind="図")
    assert slug("表2-1-3") == "tbl2-1-3" and slug("図１０") == "fig10"
