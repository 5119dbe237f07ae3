"""Demo surveys: the city's 地域福祉に関する市民意識調査 (two waves, 令和4年 and 令和7年) and the
介護予防・日常生活圏域ニーズ調査 (令和4年 and 令和7年), written into ``survey_community/`` and
``survey_needs/`` in the codebook + responses layout (data/raw/README.md).

Everything here is INVENTED. Respondents are drawn from the demo register
(:func:`komae_analysis.demo.population_model.simulate`): 3,000 residents aged 18 or over (市民意識調査)
or 3,000 residents aged 65 or over without a 要介護1–5 certification (ニーズ調査) by simple random
sampling from the 1 January register of the survey year; each answers with a probability that rises
with age (about 40% return for the 市民意識調査, about 70% for the ニーズ調査, as such surveys report).
Answers come from a few latent traits per respondent (地域への関わり, 健康, 情報) tilting each
question's invented base shares, so that cross tabs by 性別・年代・圏域 differ plausibly. The 令和4年
wave differs from the 令和7年 one (a questionnaire revised in between: options merged and added,
questions renumbered) so that the previous-wave mapping is exercised.

Layouts vary on purpose: 令和7年 responses are a cp932 CSV with MA answers as delimited codes
(「1,3」), 令和4年 ones an Excel sheet with MA answers as 0/1 columns; some questions use 無回答コード
(9 / 99 / 999); a few respondents answer a question outside its 対象条件 or mark more options than
allowed; the 令和7年 free-text answers come with a reviewed coding file. Respondent IDs are unique
across every file (KC25-00001 …, KN25-…), and one free-text answer holds :data:`PRIVACY_MARKER`, so
that a test can show that neither ever reaches the published report.

The ニーズ調査 follows the national questionnaire's items used by the risk indicators (問2(1)–(7),
問3(1)–(4)(7), 問4(1)(4)–(8), 問7(3)(4)); item shares are set so that the indicators land at levels
of the kind municipal reports show (in the 令和7年 wave: うつ about 43%, 認知 about 43%, 転倒 about 33%,
口腔 about 24%, 閉じこもり about 19%, 運動器 about 18%, IADL低下 about 12%, 低栄養 about 2%).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import DEMO_DATES, simulate
from komae_analysis.reference import daily_life_areas

#: A string that appears in one free-text answer of the demo data and must never be published.
PRIVACY_MARKER = "PRIVACY-MARKER-KOMAE-7Q3Z"
COMMUNITY = "survey_community"
NEEDS = "survey_needs"
SAMPLE = 3000
DEMO_NOTE = ("このファイルは komae_analysis.demo が生成した架空のデモデータです。実在の調査の回答ではありません。")

AREAS = daily_life_areas()
AREA_LABELS = [f"{a.key}圏域" for a in AREAS]
AREA_TEXT = "お住まいの地区（日常生活圏域）"
LIKERT = ["そう思う", "ややそう思う", "あまりそう思わない", "そう思わない", "わからない"]
KNOW3 = ["名前も活動も知っている", "名前は知っているが活動は知らない", "知らない"]


# ==================================================================================== questionnaire model


@dataclass
class Item:
    """One question of a demo questionnaire and how the demo answers it."""

    id: str
    text: str
    kind: str
    labels: list[str] = field(default_factory=list)
    limit: int | None = None
    cond: str = ""
    missing_code: int | None = None
    attribute: str = ""
    group: str = ""
    previous: str = ""  # 前回設問ID
    previous_codes: list[str | None] | None = None  # 前回コード per option
    codes: list[int] | None = None  # option codes (default 1..k; NUM bands: lower bounds)
    # answer model
    base: list[float] | None = None  # SA shares / MA probabilities
    load: list[float] | None = None  # per option: tilt by the trait
    trait: str = "e"
    blank: float = 0.02  # share of blanks (無回答)
    coded_blank: float = 0.0  # share written as the 無回答コード
    gen: Callable | None = None  # NUM / FA: (rng, traits) -> values

    def option_codes(self) -> list[int]:
        return self.codes or list(range(1, len(self.labels) + 1))


def _sa(rng, base, load, trait_values, shift=None) -> np.ndarray:
    """One option index per respondent: base shares tilted by exp(load × trait)."""
    logits = np.log(np.asarray(base))[None, :] + np.outer(trait_values, np.asarray(load))
    if shift is not None:
        logits = logits + np.asarray(shift)[None, :]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    u = rng.random(len(trait_values))[:, None]
    return (u > np.cumsum(p, axis=1)).sum(axis=1).clip(0, p.shape[1] - 1)


def _ma(rng, base, load, trait_values) -> np.ndarray:
    logit = np.log(np.asarray(base) / (1 - np.asarray(base)))[None, :] + np.outer(trait_values, np.asarray(load))
    return rng.random((len(trait_values), len(base))) < 1 / (1 + np.exp(-logit))


# ==================================================================================== people


def _date(year: int):
    """The register date a wave samples from: 1 January of the survey year."""
    import datetime as dt

    return dt.date(year, 1, 1)


@dataclass
class People:
    age: np.ndarray
    sex: np.ndarray  # 0 男, 1 女
    area: np.ndarray  # index into AREAS
    traits: dict[str, np.ndarray]

    @property
    def n(self) -> int:
        return len(self.age)


def _draw(rng, register: np.ndarray, choume, min_age: int, keep: np.ndarray | None = None,
          rate: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None) -> tuple[People, int]:
    """A simple random sample of SAMPLE residents aged ``min_age``+ (those with ``keep`` only), then the
    respondents (each returns with ``rate(age, sex)``). Returns the respondents and the population size."""
    counts = register[:, min_age:, :]  # (町丁目, ages, 2)
    cells = np.argwhere(counts > 0)
    sizes = counts[counts > 0]
    person_cell = np.repeat(np.arange(len(cells)), sizes)
    age = cells[person_cell, 1] + min_age
    sex = cells[person_cell, 2]
    chome = cells[person_cell, 0]
    if keep is not None:
        mask = keep(age, rng)
        age, sex, chome = age[mask], sex[mask], chome[mask]
    population = len(age)
    pick = np.sort(rng.choice(population, size=SAMPLE, replace=False))
    age, sex, chome = age[pick], sex[pick], chome[pick]
    respond = rng.random(SAMPLE) < rate(age, sex)
    order = rng.permutation(int(respond.sum()))  # the return order of the questionnaires
    age, sex, chome = age[respond][order], sex[respond][order], chome[respond][order]
    area_index = {a.key: i for i, a in enumerate(AREAS)}
    area = np.array([area_index[choume[c].area] for c in chome])
    z = (age - 50) / 18
    e = rng.normal(0, 1, len(age)) + 0.35 * z + 0.15 * sex
    h = rng.normal(0, 1, len(age)) + 0.55 * z
    info = rng.normal(0, 1, len(age)) + 0.25 * z + 0.45 * e
    return People(age, sex, area, {"e": e, "h": h, "info": info, "z": z, "one": np.zeros(len(age))}), population


# ==================================================================================== 市民意識調査


def community_items(wave: int) -> list[Item]:
    """The 地域福祉に関する市民意識調査 questionnaire of 2025 (wave=2025) or 2022."""
    new = wave >= 2025
    items = [
        Item("F1", "あなたの性別", "SA", ["男性", "女性", "その他・答えたくない"], attribute="性別", previous="F1" if new else ""),
        Item("F2", "あなたの年齢（令和" + ("7" if new else "4") + "年11月1日現在）", "SA",
             ["18～29歳", "30～39歳", "40～49歳", "50～59歳", "60～69歳", "70～79歳", "80歳以上"], attribute="年代",
             previous="F2" if new else ""),
        Item("F3", AREA_TEXT, "SA", AREA_LABELS, attribute="圏域", previous="F3" if new else ""),
        Item("F4", "あなたの世帯の構成", "SA", ["ひとり暮らし", "夫婦のみ", "親と子（2世代）", "親と子と孫（3世代）", "その他"],
             base=[0.2, 0.27, 0.4, 0.06, 0.07], load=[0.1, 0.5, -0.4, 0, 0], trait="z", previous="F4" if new else ""),
        Item("F5", "狛江市に住んでいる年数（年）", "NUM", codes=[0, 5, 10, 20, 30],
             labels=["5年未満", "5～9年", "10～19年", "20～29年", "30年以上"], missing_code=999, coded_blank=0.01,
             gen=lambda rng, p: np.minimum(np.round(rng.gamma(1.6, 9, p.n) * (0.6 + 0.5 * (p.age - 18) / 60)), p.age)),
        Item("F6", "あなたの職業", "SA", ["会社員・公務員", "自営業", "パート・アルバイト", "学生", "家事専業", "無職", "その他"],
             base=[0.38, 0.08, 0.15, 0.04, 0.12, 0.2, 0.03], load=[-0.8, 0.1, -0.1, -1.5, 0.2, 1.3, 0], trait="z"),
        Item("F7", "同居している家族の人数（あなたを含む、人）", "NUM",
             gen=lambda rng, p: 1 + rng.poisson(np.clip(1.8 - 0.4 * p.traits["z"], 0.2, None))),
        Item("Q1", "近所の人とのつきあいの程度", "SA",
             ["困ったときに相談し助け合う", "立ち話をする程度", "あいさつをする程度", "ほとんど付き合いはない"],
             base=[0.12, 0.28, 0.42, 0.18], load=[0.6, 0.3, -0.1, -0.7], previous="Q1" if new else ""),
    ]
    if new:
        items.append(Item("Q2", "地域の活動（町会・自治会、サロン、ボランティアなど）への参加", "SA",
                          ["参加している", "以前は参加していたが、今はしていない", "参加したことはない"],
                          base=[0.24, 0.22, 0.54], load=[0.8, 0.3, -0.6], previous="Q2",
                          previous_codes=["1,2", "3", "4"], missing_code=9, coded_blank=0.01))
    else:
        items.append(Item("Q2", "地域の活動（町会・自治会、サロン、ボランティアなど）への参加", "SA",
                          ["よく参加している", "ときどき参加している", "以前は参加していた", "参加したことはない"],
                          base=[0.08, 0.12, 0.24, 0.56], load=[0.9, 0.6, 0.3, -0.6], missing_code=9, coded_blank=0.01))
    active = "Q2 = 1" if new else "Q2 in (1,2)"
    inactive = "Q2 in (2,3)" if new else "Q2 in (3,4)"
    items += [
        Item("Q3", "参加している活動（あてはまるものすべて）", "MA",
             ["町会・自治会", "老人クラブ", "子ども会・PTA", "ボランティア活動", "サロン・趣味の会", "防災活動", "その他"],
             cond=active, base=[0.55, 0.12, 0.18, 0.3, 0.33, 0.16, 0.05], load=[0.2, 0.8, -0.9, 0.2, 0.4, 0.1, 0],
             trait="z", previous="Q3" if new else ""),
        Item("Q4", "参加していない理由（3つまで）", "MA",
             ["時間がない", "きっかけがない", "興味がない", "情報がない", "人間関係がわずらわしい", "健康に不安がある", "その他"],
             limit=3, cond=inactive, base=[0.4, 0.38, 0.22, 0.26, 0.15, 0.12, 0.05],
             load=[-0.7, 0.1, 0, 0.1, 0, 0.9, 0], trait="z", previous="Q4" if new else ""),
        Item("Q5", "今後の地域活動への参加意向", "SA", ["ぜひ参加したい", "機会があれば参加したい", "あまり参加したくない", "参加したくない"],
             base=[0.07, 0.48, 0.3, 0.15], load=[0.9, 0.4, -0.3, -0.8], previous="Q5" if new else ""),
    ]
    likert = [("Q6", "地域に愛着がある", [0.32, 0.4, 0.14, 0.06, 0.08], 0.5),
              ("Q7", "近所に頼れる人がいる", [0.16, 0.3, 0.28, 0.18, 0.08], 0.7),
              ("Q8", "地域で支え合う雰囲気がある", [0.08, 0.3, 0.32, 0.12, 0.18], 0.6),
              ("Q9", "困ったときに相談できる場所を知っている", [0.12, 0.28, 0.3, 0.2, 0.1], 0.5),
              ("Q10", "子どもや高齢者が安心して暮らせる地域だ", [0.14, 0.44, 0.2, 0.06, 0.16], 0.3),
              ("Q11", "災害のときに近所で助け合える", [0.1, 0.3, 0.28, 0.14, 0.18], 0.6)]
    for qid, text, base, strength in likert:
        items.append(Item(qid, f"地域について：{text}", "SA", LIKERT, group="地域についての意識", base=base,
                          load=[strength, strength / 2, -strength / 2, -strength, 0], previous=qid if new else ""))
    worries = ["自分の健康", "家族の健康", "介護", "子育て", "経済的なこと", "仕事", "人間関係", "住まい", "災害", "特にない", "その他"]
    items += [
        Item("Q12", "日常生活での悩みや不安（あてはまるものすべて）", "MA", worries,
             base=[0.42, 0.36, 0.2, 0.1, 0.34, 0.2, 0.12, 0.1, 0.28, 0.14, 0.03],
             load=[0.6, 0.2, 0.5, -1.2, -0.3, -1.0, -0.2, 0, 0.1, 0, 0], trait="z", previous="Q12" if new else ""),
        Item("Q13", "悩みや不安の相談相手（3つまで）", "MA",
             ["家族・親族", "友人・知人", "近所の人", "民生委員・児童委員", "市役所の窓口", "地域包括支援センター",
              "社会福祉協議会", "医療機関", "相談できる人はいない", "その他"],
             limit=3, base=[0.72, 0.45, 0.08, 0.03, 0.1, 0.06, 0.03, 0.12, 0.07, 0.02],
             load=[0, -0.4, 0.6, 0.8, 0.3, 1.0, 0.5, 0.6, -0.2, 0], trait="z", previous="Q13" if new else ""),
        Item("Q14", "民生委員・児童委員を知っていますか", "SA", KNOW3, base=[0.2, 0.38, 0.42], load=[1.0, 0.3, -0.8],
             trait="info", previous="Q14" if new else ""),
        Item("Q15", "地域包括支援センターを知っていますか", "SA", KNOW3, base=[0.26, 0.34, 0.4] if new else [0.22, 0.33, 0.45],
             load=[1.1, 0.3, -0.9], trait="info", previous="Q15" if new else ""),
        Item("Q16", "社会福祉協議会を知っていますか", "SA", KNOW3, base=[0.18, 0.45, 0.37], load=[0.9, 0.3, -0.7],
             trait="info", previous="Q16" if new else ""),
        Item("Q17", "成年後見制度を知っていますか", "SA", ["内容まで知っている", "聞いたことはある", "知らない"],
             base=[0.2, 0.45, 0.35] if new else [0.17, 0.45, 0.38], load=[0.8, 0.2, -0.7], trait="info",
             previous="Q17" if new else ""),
        Item("Q18", "必要になったとき成年後見制度を利用したいか", "SA", ["利用したい", "利用したくない", "わからない"],
             cond="Q17 in (1,2)", base=[0.36, 0.14, 0.5], load=[0.4, 0, -0.2], trait="info", previous="Q18" if new else ""),
        Item("Q19", "罪を犯した人の立ち直りに協力したいか", "SA",
             ["協力したい", "内容によっては協力したい", "協力したくない", "わからない"],
             base=[0.05, 0.36, 0.25, 0.34], load=[0.5, 0.3, -0.2, -0.2], previous="Q19" if new else ""),
        Item("Q20", "ボランティア活動の経験", "SA", ["現在している", "過去にしたことがある", "したことはない"],
             base=[0.1, 0.34, 0.56], load=[1.0, 0.4, -0.6], previous="Q20" if new else ""),
        Item("Q21", "ボランティア活動の分野（あてはまるものすべて）", "MA",
             ["高齢者の支援", "障がいのある人の支援", "子ども・子育て", "まちづくり・環境", "防災・防犯", "その他"],
             cond="Q20 in (1,2)", base=[0.32, 0.14, 0.3, 0.34, 0.2, 0.08], load=[0.6, 0, -0.8, 0.3, 0.2, 0], trait="z",
             previous="Q21" if new else ""),
        Item("Q22", "ボランティア活動の時間（1か月あたり、時間）", "NUM", cond="Q20 = 1", missing_code=999,
             gen=lambda rng, p: np.round(rng.gamma(1.5, 5.0, p.n))),
        Item("Q23", "災害のとき、避難に手助けが必要ですか", "SA", ["必要", "必要ない", "わからない"],
             base=[0.12, 0.7, 0.18], load=[1.0, -0.3, 0.2], trait="h", previous="Q23" if new else ""),
        Item("Q24", "避難行動要支援者名簿を知っていますか", "SA", ["知っている", "聞いたことはある", "知らない"],
             base=[0.08, 0.22, 0.7], load=[0.8, 0.4, -0.5], trait="info", previous="Q24" if new else ""),
        Item("Q25", "福祉の情報を得る手段（3つまで）", "MA",
             ["市の広報", "市のホームページ", "SNS", "町会の回覧板", "家族・知人", "市の窓口", "新聞・テレビ", "得ていない",
              "その他"], limit=3, base=[0.56, 0.3, 0.16, 0.22, 0.24, 0.08, 0.14, 0.14, 0.02],
             load=[0.5, -0.5, -1.1, 0.8, 0, 0.4, 0.6, -0.2, 0], trait="z", previous="Q25" if new else ""),
        Item("Q26", "福祉の情報は十分に得られていますか", "SA", ["十分得られている", "ある程度得られている", "不十分", "わからない"],
             base=[0.05, 0.4, 0.35, 0.2], load=[0.6, 0.4, -0.2, -0.4], trait="info", previous="Q26" if new else ""),
        Item("Q27", "孤立していると感じることがありますか", "SA", ["よくある", "ときどきある", "あまりない", "ない"],
             base=[0.06, 0.2, 0.4, 0.34], load=[-0.6, -0.3, 0.2, 0.4], previous="Q27" if new else ""),
        Item("Q28", "身近にひきこもりの状態の人がいますか", "SA", ["いる", "いない", "わからない"], base=[0.08, 0.6, 0.32],
             load=[0.2, 0, -0.1], previous="Q28" if new else "", missing_code=9, coded_blank=0.01),
    ]
    if new:
        items.append(Item("Q29", "「ヤングケアラー」という言葉を知っていますか", "SA",
                          ["内容まで知っている", "聞いたことはある", "知らない"], base=[0.34, 0.4, 0.26], load=[0.5, 0.1, -0.4],
                          trait="info"))
    n = 1 if new else 0  # the 2022 questionnaire had no Q29: later questions are one number lower
    measures = ["相談体制の充実", "地域の交流の場づくり", "ボランティアの育成", "福祉の情報提供", "在宅福祉サービスの充実",
                "防災・災害時の支援", "権利擁護（成年後見など）", "生活困窮者への支援", "再犯防止・立ち直り支援"]
    if new:
        measures = measures[:8] + ["ヤングケアラーへの支援"] + measures[8:]
        prev_codes = ["1", "2", "3", "4", "5", "6", "7", "8", None, "9"]
    q = [f"Q{29 + n + k}" for k in range(12)]
    prev = [f"Q{29 + k}" for k in range(12)]
    items += [
        Item(q[0], "市が力を入れるべき福祉の取組（3つまで）", "MA", measures, limit=3,
             base=([0.42, 0.24, 0.1, 0.3, 0.4, 0.34, 0.1, 0.18, 0.16, 0.05] if new
                   else [0.42, 0.24, 0.1, 0.3, 0.4, 0.34, 0.1, 0.18, 0.05]),
             load=([0.2, 0, 0, 0.1, 0.6, 0.2, 0.2, -0.2, -0.6, 0] if new else [0.2, 0, 0, 0.1, 0.6, 0.2, 0.2, -0.2, 0]),
             trait="z", previous=prev[0] if new else "", previous_codes=prev_codes if new else None),
        Item(q[1], "「地域共生社会」への関心", "SA", ["関心がある", "ある程度関心がある", "あまり関心がない", "関心がない"],
             base=[0.12, 0.42, 0.32, 0.14], load=[0.6, 0.3, -0.2, -0.6], previous=prev[1] if new else ""),
        Item(q[2], "これからも狛江市に住み続けたいか", "SA",
             ["住み続けたい", "どちらかといえば住み続けたい", "どちらかといえば転居したい", "転居したい", "わからない"],
             base=[0.52, 0.3, 0.07, 0.03, 0.08], load=[0.6, 0.1, -0.4, -0.6, -0.2], trait="z", previous=prev[2] if new else ""),
        Item(q[3], "現在の健康状態", "SA", ["よい", "まあよい", "ふつう", "あまりよくない", "よくない"],
             base=[0.22, 0.3, 0.3, 0.13, 0.05], load=[-0.8, -0.3, 0.1, 0.6, 0.9], trait="h", previous=prev[3] if new else ""),
        Item(q[4], "家族などの介護の経験", "SA", ["現在介護している", "過去にしていた", "ない"], base=[0.1, 0.2, 0.7],
             load=[0.5, 0.6, -0.4], trait="z", previous=prev[4] if new else ""),
        Item(q[5], "介護している相手（あてはまるものすべて）", "MA", ["配偶者", "親", "子", "その他"], cond=f"{q[4]} = 1",
             base=[0.3, 0.62, 0.06, 0.08], load=[1.0, -0.6, 0, 0], trait="z", previous=prev[5] if new else ""),
        Item(q[6], "介護にかける時間（1週間あたり、時間）", "NUM", cond=f"{q[4]} = 1", missing_code=999,
             gen=lambda rng, p: np.round(rng.gamma(1.4, 9.0, p.n))),
        Item(q[7], "福祉の担い手として参加してみたい活動（3つまで）", "MA",
             ["見守り・声かけ", "話し相手", "買い物・家事の手伝い", "子どもの居場所づくり", "災害時の手助け", "参加したくない"],
             limit=3, base=[0.3, 0.18, 0.12, 0.14, 0.24, 0.36], load=[0.5, 0.4, 0.2, 0.3, 0.3, -0.6],
             previous=prev[7] if new else ""),
        Item(q[8], "インターネット・SNSの利用", "SA", ["ほぼ毎日", "週に数回", "ほとんど使わない", "使っていない"],
             base=[0.7, 0.1, 0.08, 0.12], load=[-0.8, 0, 0.5, 1.2], trait="z", previous=prev[8] if new else ""),
        Item(q[9], "差別や偏見を感じたことがありますか", "SA", ["よくある", "ときどきある", "ほとんどない", "ない"],
             base=[0.03, 0.15, 0.4, 0.42], load=[0, 0, 0, 0], previous=prev[9] if new else ""),
        Item(q[10], "地域福祉について自由にご意見をお書きください", "FA", gen=_free_text),
    ]
    return items


_FA_TEMPLATES = {
    "地域のつながり": ["近所との付き合いが減っていると感じる", "町会の活動にもっと若い人が参加しやすくしてほしい",
                 "気軽に集まれる場所が近くにあるとよい"],
    "福祉サービス": ["介護サービスの手続きが分かりにくい", "高齢の親のことで相談できる窓口を増やしてほしい",
               "障がいのある家族の将来が心配"],
    "情報提供": ["福祉の情報がどこにあるのか分からない", "ホームページで制度を探しやすくしてほしい"],
    "交通・買い物": ["坂道が多く買い物に出るのが大変", "バスの本数を増やしてほしい"],
    "防災": ["災害時に誰に助けを求めればよいか分からない", "避難所の情報を知りたい"],
    "その他": ["アンケートの設問が多かった", "特になし"],
}


def _free_text(rng, p) -> tuple[list[str | None], list[str | None]]:
    """(answer text or None, its category) per respondent: about one in five writes something."""
    cats = list(_FA_TEMPLATES)
    weights = np.array([0.26, 0.24, 0.18, 0.12, 0.1, 0.1])
    texts: list[str | None] = []
    labels: list[str | None] = []
    for _i in range(p.n):
        if rng.random() >= 0.2:
            texts.append(None)
            labels.append(None)
            continue
        c = cats[int(rng.choice(len(cats), p=weights))]
        t = _FA_TEMPLATES[c][int(rng.integers(len(_FA_TEMPLATES[c])))]
        texts.append(t + ("。" if rng.random() < 0.7 else "と思います。"))
        labels.append(c)
    return texts, labels


# ==================================================================================== answering


@dataclass
class Answers:
    columns: dict[str, list[object]]  # column name → cells (None = blank)
    coding: list[tuple[str, str, str]]  # (回答者ID, 設問ID, 分類)


def _answer(items: list[Item], people: People, ids: list[str], rng, *, ma_binary: bool, wave_shift: float = 0.0
            ) -> Answers:
    n = people.n
    cols: dict[str, list[object]] = {"回答者ID": list(ids)}
    given: dict[str, np.ndarray] = {}
    coding: list[tuple[str, str, str]] = []
    for it in items:
        codes = it.option_codes()
        blank = rng.random(n) < it.blank
        coded_blank = (rng.random(n) < it.coded_blank) & ~blank
        eligible = np.ones(n, dtype=bool)
        if it.cond:
            from komae_analysis.ingest.survey_codebook import parse_condition

            def lookup(qid: str):
                src = next(x for x in items if x.id == qid)
                data = given[qid]
                if src.kind == "MA":
                    return "MA", (tuple(src.option_codes()), data)
                return src.kind, data

            eligible = parse_condition(it.cond).evaluate(lookup)
            # a few respondents answer a question that was not for them (the validation report lists them)
            stray = (~eligible) & (rng.random(n) < 0.006)
        else:
            stray = np.zeros(n, dtype=bool)
        answering = (eligible | stray) & ~blank
        if it.kind == "SA":
            if it.id == "F1":
                idx = np.where(rng.random(n) < 0.015, 2, people.sex) if len(codes) > 2 else people.sex
            elif it.id == "F2":  # age bands from the labels' lower bounds (18～29歳 … 80歳以上)
                import re

                lower = [int(re.match(r"\d+", label).group()) for label in it.labels]
                idx = np.clip(np.searchsorted(lower, people.age, side="right") - 1, 0, len(lower) - 1)
            elif it.id == "F3":
                idx = people.area
            else:
                idx = _sa(rng, it.base, it.load, people.traits[it.trait] + wave_shift * (it.trait == "info"))
            value = np.asarray(codes)[idx]
            out: list[object] = [int(v) if a else None for v, a in zip(value, answering, strict=True)]
            if it.missing_code is not None:
                out = [it.missing_code if c else v for v, c in zip(out, coded_blank, strict=True)]
            cols[it.id] = out
            given[it.id] = np.where(answering & eligible, value, -1)
        elif it.kind == "MA":
            marks = _ma(rng, it.base, it.load, people.traits[it.trait])
            if it.limit:  # most keep to the limit; a few mark one more than allowed
                over = rng.random(n) < 0.04
                keep = np.cumsum(marks, axis=1) <= it.limit + over[:, None]
                marks &= keep
            marks &= answering[:, None]
            if ma_binary:
                for k, c in enumerate(codes):
                    cols[f"{it.id}_{c}"] = [int(m) if a else None for m, a in zip(marks[:, k], answering, strict=True)]
            else:
                cols[it.id] = [",".join(str(codes[k]) for k in np.flatnonzero(row)) or None for row in marks]
            given[it.id] = marks & eligible[:, None]
        elif it.kind == "NUM":
            values = np.asarray(it.gen(rng, people), dtype=float)
            out = [int(v) if a else None for v, a in zip(values, answering, strict=True)]
            if it.missing_code is not None:
                out = [it.missing_code if c and a else v for v, c, a in zip(out, coded_blank, answering, strict=True)]
            cols[it.id] = out
            given[it.id] = np.where(answering & eligible, values, np.nan)
        else:
            texts, cats = it.gen(rng, people)
            cols[it.id] = texts
            for rid, text, cat in zip(ids, texts, cats, strict=True):
                if text is not None:
                    coding.append((rid, it.id, cat))
    return Answers(cols, coding)


# ==================================================================================== files


def _codebook_workbook(overview: list[tuple[str, object]], items: list[Item]):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    over = wb.create_sheet("調査概要")
    over.append(["項目", "値"])
    for row in overview:
        over.append(list(row))
    q = wb.create_sheet("設問")
    q.append(["設問ID", "設問文", "形式", "上限", "対象条件", "無回答コード", "属性", "設問グループ", "前回設問ID"])
    for it in items:
        q.append([it.id, it.text, it.kind, it.limit, it.cond or None, it.missing_code, it.attribute or None,
                  it.group or None, it.previous or None])
    o = wb.create_sheet("選択肢")
    o.append(["設問ID", "コード", "ラベル", "前回コード"])
    for it in items:
        if it.kind == "FA" or (it.kind == "NUM" and not it.labels):
            continue
        prev = it.previous_codes or [None] * len(it.labels)
        for code, label, pc in zip(it.option_codes(), it.labels, prev, strict=True):
            o.append([it.id, code, label, pc])
    note = wb.create_sheet("このファイルについて")
    note["A1"] = DEMO_NOTE
    note["A1"].font = Font(bold=True, color="C00000")
    for ws, widths in ((over, (16, 60)), (q, (10, 50, 6, 6, 16, 12, 8, 18, 12)), (o, (10, 8, 36, 10))):
        for i, w in enumerate(widths):
            ws.column_dimensions[chr(65 + i)].width = w
    return wb


def _csv(columns: dict[str, list[object]], encoding: str) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    names = list(columns)
    w.writerow(names)
    for row in zip(*(columns[c] for c in names), strict=True):
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode(encoding)


def _xlsx(columns: dict[str, list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "回答"
    names = list(columns)
    ws.append(names)
    for row in zip(*(columns[c] for c in names), strict=True):
        ws.append(list(row))
    return workbook_bytes(wb)


def _write_community(out: Path, seed: int) -> list[Path]:
    pop = simulate(seed)
    folder = out / COMMUNITY
    written: list[Path] = []
    for wave, stream, year_index, period in ((2022, 41, DEMO_DATES.index(_date(2022)), "令和4年11月1日～11月21日"),
                                            (2025, 42, DEMO_DATES.index(_date(2025)), "令和7年11月1日～11月21日")):
        rng = np.random.default_rng([seed, stream])

        def rate(age, sex):
            base = np.interp(age, [18, 30, 40, 50, 60, 70, 80, 95], [0.2, 0.27, 0.33, 0.4, 0.5, 0.56, 0.44, 0.3])
            return np.clip(base + 0.04 * sex, 0, 1)

        people, population = _draw(rng, pop.register[year_index], pop.choume, 18, rate=rate)
        ids = [f"KC{wave % 100}-{i + 1:05d}" for i in range(people.n)]
        items = community_items(wave)
        answers = _answer(items, people, ids, rng, ma_binary=wave < 2025, wave_shift=0.0 if wave >= 2025 else -0.15)
        if wave >= 2025:  # one free-text answer carries the privacy marker
            fa = items[-1].id
            first = next(i for i, t in enumerate(answers.columns[fa]) if t)
            answers.columns[fa][first] = f"確認用の記入です（{PRIVACY_MARKER}）。地域の見守りを続けてほしい。"
        overview = [
            ("調査名", f"地域福祉に関する市民意識調査（令和{wave - 2018}年）"),
            ("調査対象", f"市内在住の18歳以上の市民{SAMPLE:,}人"),
            ("抽出方法", "住民基本台帳から無作為抽出"),
            ("調査期間", period),
            ("配布数", SAMPLE),
            ("母集団数", population),
            ("上限超過の扱い", "先頭から採用" if wave >= 2025 else "無効"),
        ]
        cb = folder / f"{wave}_codebook.xlsx"
        written.append(write_bytes_atomic(cb, workbook_bytes(_codebook_workbook(overview, items))))
        if wave >= 2025:
            written.append(write_bytes_atomic(folder / f"{wave}_responses.csv", _csv(answers.columns, "cp932")))
            coding = {"回答者ID": [c[0] for c in answers.coding], "設問ID": [c[1] for c in answers.coding],
                      "分類": [c[2] for c in answers.coding]}
            written.append(write_bytes_atomic(folder / f"{wave}_fa_coding.csv", _csv(coding, "utf-8-sig")))
        else:
            written.append(write_bytes_atomic(folder / f"{wave}_responses.xlsx", _xlsx(answers.columns)))
    return written


# ==================================================================================== ニーズ調査

DOING = ["できるし、している", "できるけどしていない", "できない"]
YES_NO = ["はい", "いいえ"]


def needs_items(wave: int) -> list[Item]:
    """The 介護予防・日常生活圏域ニーズ調査 items of the demo (IDs after the national questionnaire's numbers:
    問2_1 = 問2(1))."""
    return [
        Item("F1", "性別", "SA", ["男性", "女性"], attribute="性別"),
        Item("F2", f"年齢（令和{wave - 2018}年12月1日現在）", "SA", ["65～69歳", "70～74歳", "75～79歳", "80～84歳", "85歳以上"],
             attribute="年代"),
        Item("F3", AREA_TEXT, "SA", AREA_LABELS, attribute="圏域"),
        Item("F4", "要介護認定の状況", "SA", ["認定を受けていない", "要支援1", "要支援2"], base=[0.9, 0.05, 0.05],
             load=[0, 0, 0]),
        Item("問1_1", "家族構成", "SA", ["1人暮らし", "夫婦2人暮らし（配偶者65歳以上）", "夫婦2人暮らし（配偶者64歳以下）",
                                      "息子・娘との2世帯", "その他"], base=[0.24, 0.36, 0.05, 0.2, 0.15],
             load=[0.4, -0.1, -0.8, 0.3, 0], trait="z"),
        Item("問1_2", "普段の生活でどなたかの介護・介助が必要ですか", "SA",
             ["介護・介助は必要ない", "何らかの介護・介助は必要だが、現在は受けていない", "現在、何らかの介護を受けている"],
             base=[0.86, 0.08, 0.06], load=[-0.9, 0.5, 0.9], trait="h"),
        Item("問2_1", "階段を手すりや壁をつたわらずに昇っていますか", "SA", DOING, base=[0.66, 0.25, 0.09],
             load=[-0.8, 0, 1.1], trait="h"),
        Item("問2_2", "椅子に座った状態から何もつかまらずに立ち上がっていますか", "SA", DOING, base=[0.82, 0.13, 0.05],
             load=[-0.8, 0, 1.2], trait="h"),
        Item("問2_3", "15分位続けて歩いていますか", "SA", DOING, base=[0.76, 0.18, 0.06], load=[-0.7, 0, 1.2], trait="h"),
        Item("問2_4", "過去1年間に転んだ経験がありますか", "SA", ["何度もある", "1度ある", "ない"], base=[0.08, 0.18, 0.74],
             load=[0.8, 0.3, -0.4], trait="h"),
        Item("問2_5", "転倒に対する不安は大きいですか", "SA", ["とても不安である", "やや不安である", "あまり不安でない", "不安でない"],
             base=[0.09, 0.28, 0.35, 0.28], load=[1.0, 0.3, -0.3, -0.8], trait="h"),
        Item("問2_6", "週に1回以上は外出していますか", "SA", ["ほとんど外出しない", "週1回", "週2～4回", "週5回以上"],
             base=[0.035, 0.1, 0.45, 0.415], load=[1.1, 0.6, 0, -0.6], trait="h"),
        Item("問2_7", "昨年と比べて外出の回数が減っていますか", "SA", ["とても減っている", "減っている", "あまり減っていない", "減っていない"],
             base=[0.05, 0.22, 0.33, 0.4], load=[1.0, 0.5, 0, -0.6], trait="h"),
        Item("問3_1_1", "身長（cm）", "NUM", codes=[0, 140, 150, 160, 170],
             labels=["140cm未満", "140～149cm", "150～159cm", "160～169cm", "170cm以上"], missing_code=999, coded_blank=0.02,
             gen=lambda rng, p: np.round(np.where(p.sex == 0, 165, 151) - 0.12 * (p.age - 65) + rng.normal(0, 5.5, p.n))),
        Item("問3_1_2", "体重（kg）", "NUM", missing_code=999, coded_blank=0.02, gen=_weight),
        Item("問3_2", "半年前に比べて固いものが食べにくくなりましたか", "SA", YES_NO, base=[0.25, 0.75], load=[0.7, -0.3],
             trait="h"),
        Item("問3_3", "お茶や汁物等でむせることがありますか", "SA", YES_NO, base=[0.2, 0.8], load=[0.6, -0.3], trait="h"),
        Item("問3_4", "口の渇きが気になりますか", "SA", YES_NO, base=[0.22, 0.78], load=[0.6, -0.3], trait="h"),
        Item("問3_7", "6か月間で2～3kg以上の体重減少がありましたか", "SA", YES_NO, base=[0.12, 0.88], load=[0.6, -0.2], trait="h"),
        Item("問4_1", "物忘れが多いと感じますか", "SA", YES_NO, base=[0.39, 0.61], load=[0.6, -0.3], trait="h"),
        Item("問4_4", "バスや電車を使って1人で外出していますか（自家用車でも可）", "SA", DOING, base=[0.9, 0.075, 0.025],
             load=[-0.8, 0.2, 1.4], trait="h"),
        Item("問4_5", "自分で食品・日用品の買物をしていますか", "SA", DOING, base=[0.87, 0.11, 0.02], load=[-0.8, 0.3, 1.4],
             trait="h"),
        Item("問4_6", "自分で食事の用意をしていますか", "SA", DOING, base=[0.72, 0.255, 0.025], load=[-0.6, 0.4, 1.3],
             trait="h"),
        Item("問4_7", "自分で請求書の支払いをしていますか", "SA", DOING, base=[0.86, 0.125, 0.015], load=[-0.8, 0.3, 1.4],
             trait="h"),
        Item("問4_8", "自分で預貯金の出し入れをしていますか", "SA", DOING, base=[0.86, 0.12, 0.02], load=[-0.8, 0.3, 1.4],
             trait="h"),
        Item("問5_2", "地域づくりの活動に参加者として参加してみたいと思いますか", "SA",
             ["是非参加したい", "参加してもよい", "参加したくない", "既に参加している"], base=[0.07, 0.46, 0.38, 0.09],
             load=[0.6, 0.3, -0.4, 0.8]),
        Item("問6_1", "心配事や愚痴を聞いてくれる人（あてはまるものすべて）", "MA",
             ["配偶者", "同居の子ども", "別居の子ども", "兄弟姉妹・親戚", "近隣", "友人", "その他", "そのような人はいない"],
             base=[0.55, 0.18, 0.38, 0.3, 0.12, 0.4, 0.04, 0.05], load=[0, 0.2, 0.2, 0, 0.4, 0.3, 0, -0.3]),
        Item("問7_1", "現在のあなたの健康状態はいかがですか", "SA", ["とてもよい", "まあよい", "あまりよくない", "よくない"],
             base=[0.12, 0.68, 0.16, 0.04], load=[-0.8, -0.1, 0.7, 1.2], trait="h"),
        Item("問7_3", "この1か月間、気分が沈んだり、ゆううつな気持ちになったりすることがありましたか", "SA", YES_NO,
             base=[0.27, 0.73], load=[0.5, -0.2], trait="h"),
        Item("問7_4", "この1か月間、どうしても物事に対して興味がわかない、あるいは心から楽しめない感じがよくありましたか",
             "SA", YES_NO, base=[0.16, 0.84], load=[0.6, -0.2], trait="h"),
        Item("問9", "介護予防や高齢者福祉についてのご意見", "FA", gen=lambda rng, p: (
            [("身近な場所で体操教室を続けてほしい。" if rng.random() < 0.12 else None) for _ in range(p.n)], [None] * p.n)),
    ]


def _weight(rng, p) -> np.ndarray:
    height = np.where(p.sex == 0, 1.65, 1.51)
    bmi = np.where(rng.random(p.n) < 0.09, rng.uniform(15.5, 18.4, p.n), rng.normal(22.8, 2.8, p.n))
    return np.round(bmi * height ** 2)


def _write_needs(out: Path, seed: int) -> list[Path]:
    pop = simulate(seed)
    folder = out / NEEDS
    written: list[Path] = []
    for wave, stream, year_index, period in ((2022, 51, DEMO_DATES.index(_date(2022)), "令和4年12月1日～12月20日"),
                                            (2025, 52, DEMO_DATES.index(_date(2025)), "令和7年12月1日～12月20日")):
        rng = np.random.default_rng([seed, stream])

        def not_certified(age, rng):
            # 要介護1–5 by age (invented, near the city's 認定率): they are not in the ニーズ調査's population
            p = np.interp(age, [65, 75, 80, 85, 90, 100], [0.02, 0.05, 0.12, 0.25, 0.45, 0.7])
            return rng.random(len(age)) >= p

        def rate(age, sex):
            return np.clip(np.interp(age, [65, 75, 85, 100], [0.72, 0.74, 0.62, 0.45]) + 0.02 * sex, 0, 1)

        people, population = _draw(rng, pop.register[year_index], pop.choume, 65, keep=not_certified, rate=rate)
        people.traits["h"] = rng.normal(0, 1, people.n) + 0.09 * (people.age - 75) + 0.1 * people.sex
        ids = [f"KN{wave % 100}-{i + 1:05d}" for i in range(people.n)]
        items = needs_items(wave)
        if wave >= 2025:  # the same national questionnaire three years earlier: the same IDs
            for it in items:
                it.previous = it.id
        answers = _answer(items, people, ids, rng, ma_binary=False)
        # 認定状況: mostly none, 要支援 rising with age
        cert = np.where(rng.random(people.n) < np.clip(0.01 + 0.004 * (people.age - 65), 0, 0.2),
                        rng.integers(2, 4, people.n), 1)
        answers.columns["F4"] = [int(c) for c in cert]
        overview = [
            ("調査名", f"介護予防・日常生活圏域ニーズ調査（令和{wave - 2018}年度）"),
            ("調査対象", "市内在住の65歳以上の方（要介護1～5の認定を受けている方を除く）"),
            ("抽出方法", f"住民基本台帳から{SAMPLE:,}人を無作為抽出"),
            ("調査期間", period),
            ("配布数", SAMPLE),
            ("母集団数", population),
            ("上限超過の扱い", None),
        ]
        written.append(write_bytes_atomic(folder / f"{wave}_codebook.xlsx",
                                          workbook_bytes(_codebook_workbook(overview, items))))
        written.append(write_bytes_atomic(folder / f"{wave}_responses.csv", _csv(answers.columns, "utf-8-sig")))
    return written


def write(out_dir: Path, seed: int) -> list[Path]:
    """Both demo surveys, every wave."""
    out = Path(out_dir)
    return _write_community(out, seed) + _write_needs(out, seed)


__all__ = ["COMMUNITY", "NEEDS", "PRIVACY_MARKER", "community_items", "needs_items", "write"]
