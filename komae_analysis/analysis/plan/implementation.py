"""重点施策の実施計画 (section 11): the sheets of one edition, rolled forward one year per July revision.

The edition of revision year Y (parameter ``revision_fy``) is drawn up in July of Y on Y's 当初予算:

- 取組内容 for Y (this year's plan) and for Y+1 and Y+2 (見込), as the edition of Y wrote them;
- 事業費 (千円, 当初予算ベース, 人件費 excluded) for Y only, with the related budget 事業;
- 取組状況 (results) in the three-year row Y−1, Y, Y+1: the results of Y−1, written once it ended;
  Y and Y+1 are still to come. The first edition (the plan's first year) has no results yet: its row
  covers the window itself and says so.

So the 令和6年度 edition shows 令和6～8年度 with 令和6年度 事業費; the 令和7年度 edition the 令和6年度
取組状況, the 令和7年度 取組内容 and 事業費 and the 令和8・9年度 見込; and so on (:func:`edition` is the rule,
tested on three consecutive editions). Each 重点施策 gets one sheet: on the page (HTML) and in a
print-ready workbook of its own (A4 landscape, fitted to the page width, title rows repeated on every
page, text wrapped) published beside the appendix workbook; a summary table of the 事業費 goes into
the appendix workbook.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from komae_analysis.analysis.plan.data import PlanData, code_key, source_plan
from komae_analysis.calendar import short_fy, wareki_fy
from komae_analysis.report import numbers
from komae_analysis.report.documents import AppendixWorkbook
from komae_analysis.report.tables import AppendixTable

WINDOW = 3
COST_NOTE = "事業費は当初予算ベース（事業に直接係る経費のみ計上し、人件費等は含まない）。"
NOT_YET = "（年度終了後に記載）"


@dataclass(frozen=True)
class Budget:
    name: str
    departments: tuple[str, ...]
    cost: int  # 千円


@dataclass(frozen=True)
class Sheet:
    """One 重点施策's sheet in one edition."""

    code: str
    text: str
    plan: str
    departments: tuple[str, ...]
    directions: tuple[str, ...]
    target: str
    budgets: tuple[Budget, ...]
    work: dict[int, tuple[str, ...]] = field(default_factory=dict)  # year → 取組内容 lines (window years)
    status: dict[int, tuple[str, ...]] = field(default_factory=dict)  # year → 取組状況 lines (status years)

    @property
    def cost(self) -> int | None:
        return sum(b.cost for b in self.budgets) if self.budgets else None


@dataclass(frozen=True)
class Edition:
    """The rule of one edition and its sheets."""

    revision_fy: int
    plan_first_fy: int
    plan_last_fy: int
    sheets: tuple[Sheet, ...]
    available: bool  # the data hold this edition

    @property
    def first(self) -> bool:
        return self.revision_fy == self.plan_first_fy

    @property
    def work_years(self) -> tuple[int, ...]:
        return tuple(range(self.revision_fy, self.revision_fy + WINDOW))

    @property
    def estimate_years(self) -> tuple[int, ...]:
        return self.work_years[1:]

    @property
    def cost_year(self) -> int:
        return self.revision_fy

    @property
    def status_years(self) -> tuple[int, ...]:
        """The three years of the 取組状況 row: from the year before the revision (the window itself in
        the first edition)."""
        start = self.revision_fy if self.first else self.revision_fy - 1
        return tuple(range(start, start + WINDOW))

    @property
    def reported_years(self) -> tuple[int, ...]:
        """The years whose 取組状況 this edition reports: those ended before it (within the plan)."""
        return tuple(y for y in self.status_years if y < self.revision_fy and y >= self.plan_first_fy)

    @property
    def label(self) -> str:
        """令和8年7月改定 / 令和6年7月策定."""
        era = wareki_fy(self.revision_fy).removesuffix("年度")
        return f"{era}年7月{'策定' if self.first else '改定'}"

    @property
    def period(self) -> str:
        return f"{wareki_fy(self.work_years[0])}～{wareki_fy(self.work_years[-1])}"


def _lines(text: object) -> tuple[str, ...]:
    if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
        return ()
    return tuple(x for x in str(text).split("\n") if x)


def edition(data: PlanData, revision_fy: int | None = None) -> Edition:
    """The sheets of the edition ``revision_fy`` (default: the ``plan:`` parameter), every 重点施策 of
    the registry in 施策コード order."""
    s = data.settings
    rev = s.revision_fy if revision_fy is None else revision_fy
    lines, budget = data.lines, data.budget
    work = lines[(lines["kind"] == "取組内容") & (lines["revision_fy"] == rev)]
    available = len(work) > 0
    status = lines[lines["kind"] == "取組状況"]
    costs = budget[budget["fiscal_year"] == rev]
    base = Edition(rev, s.plan_first_fy, s.plan_last_fy, (), available)
    priority = data.measures[data.measures["priority"]]
    priority = priority.iloc[sorted(range(len(priority)), key=lambda i: code_key(priority["code"].iloc[i]))]
    sheets = []
    for m in priority.itertuples(index=False):
        w = work[work["measure_code"] == m.code].sort_values(["fiscal_year", "line_no"])
        st = status[status["measure_code"] == m.code].sort_values(["fiscal_year", "line_no"])
        b = costs[costs["measure_code"] == m.code].sort_values("row")
        sheets.append(Sheet(
            code=m.code, text=m.text, plan=m.plan, departments=_lines(m.departments),
            directions=_lines(m.directions), target="" if pd.isna(m.target) else str(m.target),
            budgets=tuple(Budget(str(x.budget_name), _lines(x.departments), int(x.cost))
                          for x in b.itertuples(index=False)),
            work={y: tuple(w.loc[w["fiscal_year"] == y, "text"]) for y in base.work_years},
            status={y: tuple(st.loc[st["fiscal_year"] == y, "text"]) for y in base.reported_years},
        ))
    return Edition(rev, s.plan_first_fy, s.plan_last_fy, tuple(sheets), available)


def _missing_text(data: PlanData, ed: Edition) -> str | None:
    if not data.has_registry:
        return "施策の台帳がないため、実施計画は掲載していません。"
    if not ed.available:
        return f"{wareki_fy(ed.revision_fy)}の改定の実施計画（取組内容）がないため、実施計画は掲載していません。"
    return None


# --- summary table and commentary -------------------------------------------------------------


def _year_head(y: int, ed: Edition) -> str:
    return f"{wareki_fy(y)}（見込）" if y in ed.estimate_years else wareki_fy(y)


def cost_table(data: PlanData) -> AppendixTable | str:
    """The 重点施策 of the edition with their 担当課 and 事業費 (this year's, and the previous year's when
    there is one)."""
    ed = edition(data)
    missing = _missing_text(data, ed)
    if missing:
        return missing
    prev = ed.revision_fy - 1
    prev_costs = data.budget[data.budget["fiscal_year"] == prev].groupby("measure_code")["cost"].sum()
    has_prev = not ed.first and len(prev_costs) > 0
    cur, before = f"{wareki_fy(ed.revision_fy)}事業費", f"{wareki_fy(prev)}事業費"
    rows = []
    for sh in ed.sheets:
        row = {"コード": sh.code, "施策": sh.text, "計画": sh.plan, "担当課": "、".join(sh.departments),
               "関連する予算事業": "\n".join(b.name for b in sh.budgets)}
        if has_prev:
            row[before] = int(prev_costs[sh.code]) if sh.code in prev_costs.index else pd.NA
        row[cur] = sh.cost if sh.cost is not None else pd.NA
        if has_prev:
            row["増減"] = (row[cur] - row[before]) if not (pd.isna(row[cur]) or pd.isna(row[before])) else pd.NA
        rows.append(row)
    total = {"コード": "計", "施策": "", "計画": "", "担当課": "", "関連する予算事業": ""}
    frame = pd.DataFrame(rows)
    for c in [c for c in (before, cur, "増減") if c in frame.columns]:
        frame[c] = frame[c].astype("Int64")
        total[c] = frame[c].sum() if frame[c].notna().any() else pd.NA
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    for c in [c for c in (before, cur, "増減") if c in frame.columns]:
        frame[c] = frame[c].astype("Int64")
    notes = [COST_NOTE, f"{ed.label}の実施計画の対象（重点施策）。"]
    if has_prev:
        notes.append(f"{wareki_fy(prev)}の事業費は同年度の当初予算（{wareki_fy(prev)}の改定時のもの）。")
    return AppendixTable(
        title=f"重点施策の関連する予算事業と事業費（{ed.label}）",
        frame=frame,
        unit="単位：千円",
        source=source_plan(ed.label),
        notes=notes,
        total_rows=[-1],
    )


def overview_text(data: PlanData) -> str:
    ed = edition(data)
    missing = _missing_text(data, ed)
    if missing:
        return missing
    y = ed.revision_fy
    est = "・".join(wareki_fy(e) for e in ed.estimate_years)
    text = (f"{ed.label}の実施計画は、重点施策ごとに{wareki_fy(y)}の取組内容と事業費（当初予算ベース）、"
            f"{est}の取組内容の見込を示します。")
    if ed.reported_years:
        text += f"あわせて、{'・'.join(wareki_fy(r) for r in ed.reported_years)}の取組状況（成果）を記載しています。"
    else:
        text += "最初の版のため、取組状況（成果）はまだありません。"
    t = cost_table(data)
    if isinstance(t, AppendixTable):
        f = t.frame
        cur = f"{wareki_fy(y)}事業費"
        total = f[cur].iloc[-1]
        if not pd.isna(total):
            text += f"{wareki_fy(y)}の事業費は合計{numbers.count(total)}千円"
            if "増減" in f.columns and not pd.isna(f["増減"].iloc[-1]):
                d = int(f["増減"].iloc[-1])
                word = "増加" if d > 0 else ("減少" if d < 0 else "同額")
                text += f"で、前年度から{numbers.count(abs(d))}千円{word}しています。" if d else "で、前年度と同額です。"
            else:
                text += "です。"
            body = f.iloc[:-1].dropna(subset=[cur])
            if len(body):
                top = body.loc[body[cur].astype("int64").idxmax()]
                text += f"最も大きいのは「{top['施策']}」（{top['計画']}）の{numbers.count(top[cur])}千円です。"
    return text


# --- HTML -------------------------------------------------------------------------------------

SHEET_CSS = """
.plan-sheet { font-family: "IPAexGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif; margin: 1.2em 0 2.2em;
  break-inside: avoid; page-break-inside: avoid; }
.plan-sheet h3 { font-size: 1.05rem; margin: 0 0 0.4em; }
.plan-sheet table.plan-sheet-table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 0.88rem;
  line-height: 1.5; }
.plan-sheet table.plan-sheet-table th, .plan-sheet table.plan-sheet-table td { border: 1px solid #8c959f;
  padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
.plan-sheet table.plan-sheet-table th { background: #f3f5f8; font-weight: bold; width: 16%; }
.plan-sheet table.plan-sheet-table tr.years th { background: #e3eaf2; text-align: center; }
.plan-sheet table.plan-sheet-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.plan-sheet table.plan-sheet-table td.none { color: #666; }
.plan-sheet ul { margin: 0; padding-left: 1.1em; }
.plan-sheet li { line-height: 1.5; margin: 0.15em 0; }
.plan-sheet .plan-sheet-source, .plan-sheet .plan-sheet-note { font-size: 0.85rem; margin: 0.25em 0 0; }
.jp-RenderedHTMLCommon .plan-sheet table.plan-sheet-table th,
.jp-RenderedHTMLCommon .plan-sheet table.plan-sheet-table td { text-align: left; }
.jp-RenderedHTMLCommon .plan-sheet table.plan-sheet-table tr.years th { text-align: center; }
.jp-RenderedHTMLCommon .plan-sheet table.plan-sheet-table td.num { text-align: right; }
""".strip()


def _ul(items: tuple[str, ...] | list[str], empty: str = "－") -> str:
    if not items:
        return f'<span class="none">{html.escape(empty)}</span>'
    return "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in items) + "</ul>"


def _budget_items(sh: Sheet) -> list[str]:
    return [b.name + (f"（{'・'.join(b.departments)}）" if b.departments else "") for b in sh.budgets]


def _status_cell(ed: Edition, sh: Sheet, y: int) -> tuple[tuple[str, ...], str]:
    if ed.first:
        return (), f"（{wareki_fy(ed.revision_fy)}の策定時は記載なし）"
    if y in ed.reported_years:
        return sh.status.get(y, ()), "（記載なし）"
    return (), NOT_YET


def sheet_html(ed: Edition, sh: Sheet) -> str:
    esc = html.escape
    work_heads = "".join(f"<th>{esc(_year_head(y, ed))}</th>" for y in ed.work_years)
    status_heads = "".join(f"<th>{esc(wareki_fy(y))}</th>" for y in ed.status_years)
    work = "".join(f"<td>{_ul(sh.work.get(y, ()), '（記載なし）')}</td>" for y in ed.work_years)
    costs = "".join(
        f'<td class="num">{esc(numbers.count(sh.cost))}</td>' if y == ed.cost_year and sh.cost is not None
        else '<td class="none">－</td>' for y in ed.work_years)
    status = ""
    for y in ed.status_years:
        items, empty = _status_cell(ed, sh, y)
        status += f"<td>{_ul(items, empty)}</td>"
    target_head = f"計画期間終了時点（{wareki_fy(ed.plan_last_fy)}）の到達目標"
    return "\n".join([
        f'<section class="plan-sheet" id="plan-{esc(sh.code)}">',
        f"<h3>{esc(sh.code)}　{esc(sh.text)}</h3>",
        '<table class="plan-sheet-table">',
        f'<tr><th>項目コード・施策</th><td colspan="3">{esc(sh.code)}　{esc(sh.text)}（{esc(sh.plan)}）</td></tr>',
        f'<tr><th>この項目の担当課</th><td colspan="3">{esc("、".join(sh.departments))}</td></tr>',
        f'<tr><th>施策の方向性</th><td colspan="3">{_ul(sh.directions)}</td></tr>',
        f'<tr><th>{esc(target_head)}</th><td colspan="3">{esc(sh.target) or "－"}</td></tr>',
        f'<tr><th>関連する予算事業（{esc(wareki_fy(ed.cost_year))}）</th><td colspan="3">{_ul(_budget_items(sh))}</td></tr>',
        f'<tr class="years"><th>取組内容</th>{work_heads}</tr>',
        f"<tr><th>当該年度を含む3箇年の取組内容</th>{work}</tr>",
        f"<tr><th>事業費（千円）</th>{costs}</tr>",
        f'<tr class="years"><th>取組状況</th>{status_heads}</tr>',
        f"<tr><th>3箇年の取組状況（成果）</th>{status}</tr>",
        "</table>",
        "</section>",
    ])


def _edition_notes(ed: Edition) -> list[str]:
    notes = [COST_NOTE, f"{'・'.join(wareki_fy(y) for y in ed.estimate_years)}は取組内容の見込（毎年度の改定で見直す）。"]
    notes.append(f"取組状況は年度が終わった後、翌年度の改定で記載する（{wareki_fy(ed.plan_first_fy)}の策定時は記載なし）。")
    return notes


def sheets_html(data: PlanData, ed: Edition) -> str:
    esc = html.escape
    parts = [f"<style>\n{SHEET_CSS}\n</style>", '<div class="plan-sheets">']
    parts += [sheet_html(ed, sh) for sh in ed.sheets]
    parts.append(f'<p class="plan-sheet-source">{esc(source_plan(ed.label))}</p>')
    parts += [f'<p class="plan-sheet-note">注：{esc(n)}</p>' for n in _edition_notes(ed)]
    parts.append("</div>")
    return "\n".join(parts)


# --- the print-ready workbook --------------------------------------------------------------------

LABEL_WIDTH = 20.0
YEAR_WIDTH = 37.0
LINE = 15.0
TITLE_LINE = 21.0


def _styles():
    """The appendix workbook's fonts, borders and header fill (:func:`report.excel.table_styles`),
    with the label fill and the alignments of the 実施計画 form."""
    from types import SimpleNamespace

    from openpyxl.styles import Alignment, PatternFill

    from komae_analysis.report.excel import table_styles

    s = table_styles()
    return SimpleNamespace(
        border=s.border,
        bold=s.header,
        body=s.body,
        small=s.small,
        title=s.title,
        label_fill=PatternFill(fill_type="solid", start_color="FFF3F5F8", end_color="FFF3F5F8"),
        head_fill=s.header_fill,
        wrap=Alignment(horizontal="left", vertical="top", wrap_text=True),
        center=Alignment(horizontal="center", vertical="center", wrap_text=True),
        right=Alignment(horizontal="right", vertical="top"),
    )


def _page(ws, *, title_rows: str) -> None:
    """A4 landscape, fitted to the page width (as many pages down as needed), title rows repeated,
    page numbers in the footer."""
    from komae_analysis.report.excel import page_setup

    page_setup(ws, landscape=True)
    ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "&P / &N"


def _write_sheet(ws, ed: Edition, sh: Sheet, st) -> None:
    """One 重点施策's sheet, in the layout of the city's 実施計画 (4 columns: labels, then the three years)."""
    from openpyxl.utils import get_column_letter

    from komae_analysis.report.excel import wrapped_lines

    for j, w in enumerate((LABEL_WIDTH, YEAR_WIDTH, YEAR_WIDTH, YEAR_WIDTH), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    wide = YEAR_WIDTH * 3

    def line(row: int, text: str, font, height: float = LINE) -> None:
        """A line across the sheet (title, 出典, 注)."""
        c = ws.cell(row=row, column=1, value=text)
        c.font, c.alignment = font, st.wrap
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = wrapped_lines(text, wide + LABEL_WIDTH) * height + 4

    def label(row: int, text: str) -> int:
        c = ws.cell(row=row, column=1, value=text)
        c.font, c.fill, c.border, c.alignment = st.bold, st.label_fill, st.border, st.wrap
        return wrapped_lines(text, LABEL_WIDTH)

    def field(row: int, name: str, text: str) -> None:
        """A labelled item whose text spans the three year columns."""
        lines = label(row, name)
        c = ws.cell(row=row, column=2, value=text)
        c.font, c.alignment = st.body, st.wrap
        for j in range(2, 5):
            ws.cell(row=row, column=j).border = st.border
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        ws.row_dimensions[row].height = max(lines, wrapped_lines(text, wide)) * LINE + 4

    def year_heads(row: int, name: str, heads: list[str]) -> None:
        for j, text in enumerate([name, *heads], start=1):
            c = ws.cell(row=row, column=j, value=text)
            c.font, c.fill, c.border, c.alignment = st.bold, st.head_fill, st.border, st.center
        ws.row_dimensions[row].height = LINE + 6

    def years(row: int, name: str, cells: list[str]) -> None:
        lines = label(row, name)
        for j, text in enumerate(cells, start=2):
            c = ws.cell(row=row, column=j, value=text)
            c.font, c.border, c.alignment = st.body, st.border, st.wrap
            lines = max(lines, wrapped_lines(text, YEAR_WIDTH))
        ws.row_dimensions[row].height = lines * LINE + 4

    line(1, f"あいとぴあレインボープラン実施計画（{ed.label}、{ed.period}）", st.small)
    line(2, f"{sh.code}　{sh.text}", st.title, height=TITLE_LINE)
    field(3, "項目コード・施策", f"{sh.code}　{sh.text}（{sh.plan}）")
    field(4, "この項目の担当課", "、".join(sh.departments))
    field(5, "施策の方向性", "\n".join(f"・{d}" for d in sh.directions) or "－")
    field(6, f"計画期間終了時点（{wareki_fy(ed.plan_last_fy)}）の到達目標", sh.target or "－")
    field(7, f"関連する予算事業（{wareki_fy(ed.cost_year)}）", "\n".join(f"・{b}" for b in _budget_items(sh)) or "－")
    year_heads(8, "取組内容", [_year_head(y, ed) for y in ed.work_years])
    years(9, "当該年度を含む3箇年の取組内容",
          ["\n".join(f"・{x}" for x in sh.work.get(y, ())) or "（記載なし）" for y in ed.work_years])
    label(10, "事業費（千円）")
    for j, y in enumerate(ed.work_years, start=2):
        value = sh.cost if y == ed.cost_year else None
        c = ws.cell(row=10, column=j, value="－" if value is None else value)
        c.font, c.border, c.alignment = st.body, st.border, st.right
        if value is not None:
            c.number_format = numbers.EXCEL_FORMATS["int"]
    ws.row_dimensions[10].height = LINE + 4
    year_heads(11, "取組状況", [wareki_fy(y) for y in ed.status_years])
    status = []
    for y in ed.status_years:
        items, empty = _status_cell(ed, sh, y)
        status.append("\n".join(f"・{x}" for x in items) or empty)
    years(12, "3箇年の取組状況（成果）", status)
    row = 13
    for text in [source_plan(ed.label), *(f"注：{n}" for n in _edition_notes(ed))]:
        row += 1
        line(row, text, st.small)
    ws.print_area = f"A1:D{row}"
    _page(ws, title_rows="1:2")


def _write_index(ws, ed: Edition, st) -> None:
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws.cell(row=1, column=1, value=f"あいとぴあレインボープラン実施計画（{ed.label}、{ed.period}）").font = st.title
    heads = ["コード", "施策", "計画", f"{wareki_fy(ed.cost_year)}事業費（千円）"]
    for j, (h, w) in enumerate(zip(heads, (10, 70, 16, 18), strict=True), start=1):
        c = ws.cell(row=3, column=j, value=h)
        c.font, c.fill, c.border, c.alignment = st.bold, st.head_fill, st.border, st.center
        ws.column_dimensions[c.column_letter].width = w
    for i, sh in enumerate(ed.sheets, start=4):
        for j, value in enumerate([sh.code, sh.text, sh.plan, sh.cost], start=1):
            c = ws.cell(row=i, column=j, value=value)
            c.font, c.border = st.body, st.border
            c.alignment = st.right if j == 4 else st.wrap
        ws.cell(row=i, column=4).number_format = numbers.EXCEL_FORMATS["int"]
        link = ws.cell(row=i, column=1)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{sh.code}'!A1", display=sh.code)
    row = len(ed.sheets) + 5
    for text in ("コードをクリックすると各施策のシートに移動します。", source_plan(ed.label), f"注：{COST_NOTE}"):
        ws.cell(row=row, column=1, value=text).font = st.small
        row += 1
    ws.freeze_panes = "A4"
    _page(ws, title_rows="3:3")


def edition_workbook(data: PlanData) -> AppendixWorkbook | str:
    """The edition's sheets: on the page, and as a workbook of its own (an 一覧 sheet, then one
    print-ready sheet per 重点施策, named by its 施策コード)."""
    ed = edition(data)
    missing = _missing_text(data, ed)
    if missing:
        return missing

    def build():
        from openpyxl import Workbook

        styles = _styles()
        wb = Workbook()
        index = wb.active
        index.title = "一覧"
        _write_index(index, ed, styles)
        for sh in ed.sheets:
            _write_sheet(wb.create_sheet(title=sh.code), ed, sh, styles)
        wb.properties.title = f"あいとぴあレインボープラン実施計画（{ed.label}）"
        wb.properties.language = "ja-JP"
        return wb

    return AppendixWorkbook(
        title=f"重点施策の実施計画（{ed.label}）：施策ごとのシート",
        filename=f"実施計画_{short_fy(ed.revision_fy)}.xlsx",
        html=sheets_html(data, ed),
        build=build,
    )
