"""The risk indicators of the 介護予防・日常生活圏域ニーズ調査, by the national scoring rules.

Sources of the rules (the national survey's items are 基本チェックリスト items and the 老研式活動能力指標):

- 厚生労働省老健局「介護予防・日常生活圏域ニーズ調査 実施の手引き」(平成28年9月、調査票は令和元年・
  令和4年に改訂): the questionnaire (問2 からだを動かすことについて, 問3 食べることについて, 問4 毎日の
  生活について, 問7 健康について) and the 評価項目 computed from it.
- 「基本チェックリスト」(厚生労働省「介護予防マニュアル（改訂版）」平成24年3月; 「介護予防のための生活
  機能評価に関するマニュアル（改訂版）」平成21年3月): the cut-offs of the domains — 運動器 3 of its 5
  items, 栄養 both of its 2 items (BMI 18.5未満 and the weight loss), 口腔 2 of its 3 items, 閉じこもり its
  1 item.
- 老研式活動能力指標 (古谷野亘ほか, 1987) 手段的自立 5 items: 1 point each for 「できるし、している」 or
  「できるけどしていない」; 5 高い, 4 やや低い, 3 points or less 低い (the indicator counts 低い).

The rules as implemented (item IDs after the national questionnaire's numbers, 問2_1 = 問2(1)):

| indicator | items (該当 answer) | 該当 when |
|---|---|---|
| 運動器機能の低下 | 問2_1, 問2_2, 問2_3 (3 できない); 問2_4 (1 何度もある, 2 1度ある); 問2_5 (1 とても不安, 2 やや不安) | 3 or more of 5 |
| 転倒リスク | 問2_4 (1, 2) | the item |
| 閉じこもり傾向 | 問2_6 (1 ほとんど外出しない, 2 週1回) | the item |
| 低栄養 | BMI = 体重(kg) / 身長(m)² from 問3_1_1 / 問3_1_2 below 18.5, and 問3_7 (1 はい) | both |
| 口腔機能の低下 | 問3_2, 問3_3, 問3_4 (1 はい) | 2 or more of 3 |
| 認知機能の低下 | 問4_1 (1 はい) | the item |
| うつ傾向 | 問7_3, 問7_4 (1 はい) | 1 or more of 2 |
| IADLの低下 | 問4_4 … 問4_8: 1 point for 1 or 2 | 3 points or less |

A respondent whose unanswered items could change the result is 判定不能 (e.g. 運動器 with 2 items
該当 and 1 unanswered); the rate is 該当 / (該当 + 非該当), the respondents who could be judged. A
codebook whose items do not say what the rules expect (another ID, another answer at that code) is an
error naming the item: a city that renumbered the questionnaire maps its IDs first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from komae_analysis.errors import KomaeError
from komae_analysis.survey.prepare import Wave

HIT, NOT_HIT, UNJUDGED = 1, 0, -1


@dataclass(frozen=True)
class Item:
    id: str
    codes: tuple[int, ...]  # the answers that count (該当 / 1 point)
    label: str  # the label the national questionnaire gives the first of those codes


@dataclass(frozen=True)
class Rule:
    name: str
    items: tuple[Item, ...]
    at_least: int  # 該当 when at least this many items count (IADL: at most ``at_least`` points)
    kind: str = "count"  # count | points_at_most | bmi
    definition: str = ""


RULES: tuple[Rule, ...] = (
    Rule("運動器機能の低下",
         (Item("問2_1", (3,), "できない"), Item("問2_2", (3,), "できない"), Item("問2_3", (3,), "できない"),
          Item("問2_4", (1, 2), "何度もある"), Item("問2_5", (1, 2), "とても不安である")), 3,
         definition="問2(1)～(5)の5問のうち3問以上に該当（「できない」、転倒経験「何度もある」「1度ある」、転倒への不安「とても」「やや」）"),
    Rule("転倒リスク", (Item("問2_4", (1, 2), "何度もある"),), 1,
         definition="過去1年間に転んだ経験が「何度もある」「1度ある」"),
    Rule("閉じこもり傾向", (Item("問2_6", (1, 2), "ほとんど外出しない"),), 1,
         definition="外出が「ほとんど外出しない」「週1回」"),
    Rule("低栄養", (Item("問3_1_1", (), ""), Item("問3_1_2", (), ""), Item("問3_7", (1,), "はい")), 2, kind="bmi",
         definition="BMIが18.5未満で、かつ6か月間で2～3kg以上の体重減少が「はい」"),
    Rule("口腔機能の低下",
         (Item("問3_2", (1,), "はい"), Item("問3_3", (1,), "はい"), Item("問3_4", (1,), "はい")), 2,
         definition="問3(2)～(4)の3問のうち2問以上が「はい」"),
    Rule("認知機能の低下", (Item("問4_1", (1,), "はい"),), 1, definition="物忘れが多いと感じるが「はい」"),
    Rule("うつ傾向", (Item("問7_3", (1,), "はい"), Item("問7_4", (1,), "はい")), 1,
         definition="問7(3)(4)の2問のうち1問以上が「はい」"),
    Rule("IADLの低下",
         tuple(Item(f"問4_{k}", (1, 2), "できるし、している") for k in range(4, 9)), 3, kind="points_at_most",
         definition="問4(4)～(8)（老研式活動能力指標の手段的自立）で「できるし、している」「できるけどしていない」を1点とし、5点満点で3点以下"),
)
BMI_CUTOFF = 18.5


def check_items(wave: Wave) -> None:
    """Every item a rule reads exists with the answer the rule expects at its code (KomaeError otherwise)."""
    cb = wave.codebook
    problems = []
    for rule in RULES:
        for item in rule.items:
            if item.id not in cb:
                problems.append(f"{rule.name}: 設問「{item.id}」が調査票設計にありません")
                continue
            q = cb.question(item.id)
            if rule.kind == "bmi" and not item.codes:
                if q.kind != "NUM":
                    problems.append(f"{rule.name}: 設問「{item.id}」（身長・体重）は数量回答（NUM）です")
                continue
            if q.kind != "SA":
                problems.append(f"{rule.name}: 設問「{item.id}」は単数回答（SA）です")
            elif item.codes[0] not in q.codes or q.label_of(item.codes[0]) != item.label:
                problems.append(f"{rule.name}: 設問「{item.id}」のコード{item.codes[0]}は「{item.label}」のはずです")
    if problems:
        raise KomaeError("ニーズ調査のリスク判定に必要な設問が様式と違います（" + "／".join(problems) + "）")


def _count_rule(wave: Wave, rule: Rule) -> np.ndarray:
    hits = np.zeros(wave.n, dtype=np.int64)
    missing = np.zeros(wave.n, dtype=np.int64)
    for item in rule.items:
        codes = wave.sa[item.id]
        missing += codes < 0
        hits += np.isin(codes, item.codes)
    if rule.kind == "points_at_most":  # points = items answered 1 or 2; 該当 when points ≤ at_least
        points = hits
        return np.where(points + missing <= rule.at_least, HIT, np.where(points > rule.at_least, NOT_HIT, UNJUDGED))
    return np.where(hits >= rule.at_least, HIT, np.where(hits + missing < rule.at_least, NOT_HIT, UNJUDGED))


def _bmi_rule(wave: Wave, rule: Rule) -> np.ndarray:
    height, weight, loss = rule.items
    h = wave.num[height.id] / 100
    w = wave.num[weight.id]
    with np.errstate(invalid="ignore", divide="ignore"):
        bmi = np.where(h > 0, w / (h * h), np.nan)
    thin = np.where(np.isnan(bmi), -1, (bmi < BMI_CUTOFF).astype(int))
    lost = np.where(wave.sa[loss.id] < 0, -1, np.isin(wave.sa[loss.id], loss.codes).astype(int))
    both = (thin == 1) & (lost == 1)
    either_no = (thin == 0) | (lost == 0)
    return np.where(both, HIT, np.where(either_no, NOT_HIT, UNJUDGED))


def risk_status(wave: Wave) -> dict[str, np.ndarray]:
    """Indicator name → per respondent 1 (該当), 0 (非該当) or −1 (判定不能)."""
    check_items(wave)
    return {r.name: (_bmi_rule(wave, r) if r.kind == "bmi" else _count_rule(wave, r)) for r in RULES}


def bmi(wave: Wave) -> np.ndarray:
    rule = next(r for r in RULES if r.kind == "bmi")
    h = wave.num[rule.items[0].id] / 100
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(h > 0, wave.num[rule.items[1].id] / (h * h), np.nan)


__all__ = ["BMI_CUTOFF", "HIT", "NOT_HIT", "RULES", "UNJUDGED", "Rule", "bmi", "check_items", "risk_status"]
