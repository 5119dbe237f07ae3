"""Small survey inputs built in the tests (openpyxl / csv): a codebook workbook and a responses file.

``codebook(path, questions=…, options=…, overview=…)`` writes the three sheets of the codebook layout;
every argument has the small hand-made survey of the rule tests as its default, so a broken copy changes
one thing. ``responses_csv(path, header, rows)`` writes a UTF-8 CSV.
"""

from __future__ import annotations

import csv
from pathlib import Path

OVERVIEW = [
    ("調査名", "テスト市民意識調査"),
    ("調査対象", "市内在住の18歳以上の市民"),
    ("抽出方法", "住民基本台帳から無作為抽出"),
    ("調査期間", "令和7年11月1日～11月20日"),
    ("配布数", 20),
    ("母集団数", 1000),
    ("上限超過の扱い", "先頭から採用"),
]

QUESTION_HEADER = ["設問ID", "設問文", "形式", "上限", "対象条件", "無回答コード", "属性", "設問グループ", "前回設問ID"]
QUESTIONS = [
    ["F1", "性別", "SA", None, None, None, "性別", None, "F1"],
    ["F2", "年代", "SA", None, None, None, "年代", None, None],
    ["Q1", "地域活動に参加していますか", "SA", None, None, 9, None, None, "Q1"],
    ["Q2", "参加の頻度", "SA", None, "Q1 = 1", None, None, None, None],
    ["Q3", "関心のある分野（2つまで）", "MA", 2, None, None, None, None, "Q3"],
    ["Q4", "居住年数", "NUM", None, None, 999, None, None, None],
    ["Q5", "地域に愛着がある", "SA", None, None, None, None, "意識", None],
    ["Q6", "近所づきあいがある", "SA", None, None, None, None, "意識", None],
    ["FA1", "ご意見", "FA", None, None, None, None, None, None],
]
OPTION_HEADER = ["設問ID", "コード", "ラベル", "前回コード"]
LIKERT = ["そう思う", "ややそう思う", "あまりそう思わない", "そう思わない", "わからない"]
OPTIONS = [
    ["F1", 1, "男性", None], ["F1", 2, "女性", None],
    ["F2", 1, "18～39歳", None], ["F2", 2, "40～64歳", None], ["F2", 3, "65歳以上", None],
    ["Q1", 1, "参加している", "1"], ["Q1", 2, "参加していない", "2,3"],
    ["Q2", 1, "週1回以上", None], ["Q2", 2, "月1回程度", None], ["Q2", 3, "年数回", None],
    ["Q3", 1, "福祉", "1"], ["Q3", 2, "防災", "2"], ["Q3", 3, "子育て", None], ["Q3", 4, "環境", "4"],
    ["Q4", 0, "5年未満", None], ["Q4", 5, "5～19年", None], ["Q4", 20, "20年以上", None],
    *[["Q5", i + 1, lab, None] for i, lab in enumerate(LIKERT)],
    *[["Q6", i + 1, lab, None] for i, lab in enumerate(LIKERT)],
]

RESPONSE_HEADER = ["回答者ID", "F1", "F2", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "FA1"]


def codebook(path: Path, *, overview=None, questions=None, options=None, question_header=None,
             option_header=None, sheet_names=("調査概要", "設問", "選択肢"), header_offset: int = 0) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets = {}
    for name in sheet_names:
        sheets[name] = wb.create_sheet(name)
    over, ques, opts = (sheets[n] for n in sheet_names)
    for _ in range(header_offset):
        for ws in (over, ques, opts):
            ws.append([None])
    over.append(["項目", "値"])
    for row in (OVERVIEW if overview is None else overview):
        over.append(list(row))
    ques.append(question_header or QUESTION_HEADER)
    for row in (QUESTIONS if questions is None else questions):
        ques.append(list(row))
    opts.append(option_header or OPTION_HEADER)
    for row in (OPTIONS if options is None else options):
        opts.append(list(row))
    wb.save(path)
    return path


def responses_csv(path: Path, rows, header=None, encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header or RESPONSE_HEADER)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
    return path
