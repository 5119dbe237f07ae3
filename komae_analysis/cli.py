"""The ``komae`` command (also ``python -m komae_analysis``).

Every user mistake (bad input, bad parameters, unknown section) is printed in Japanese with a
non-zero exit; a traceback is printed only for a real programming error.

Each command imports what it needs when it runs (the build machinery, the readers, the demo
generator), so that ``komae sections`` or a usage error answers at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from komae_analysis.errors import InputError, KomaeError

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_SECTION_FAILED = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's English usage errors → Japanese prefix, exit 1
        self.print_usage(sys.stderr)
        print(f"エラー: 引数が正しくありません: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="komae", description="狛江市 あいとぴあレインボープラン 資料編の作成ツール")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    b = sub.add_parser("build", help="資料編（HTML・Excel・図・manifest）を作成する")
    g = b.add_mutually_exclusive_group()
    g.add_argument("--fy", type=int, help="対象年度（西暦、例: 2026）。既定は2026")
    g.add_argument("--params", type=Path, help="パラメータファイル（YAML）")
    b.add_argument("--data-dir", type=Path, help="入力データのフォルダ（既定: data/raw）")
    b.add_argument("--out", type=Path, help="出力先の親フォルダ（既定: reports）。FY<年度>/ が作られる")
    b.add_argument("--only", nargs="+", metavar="SECTION", help="作成するセクション（例: 02_statistics）")
    b.add_argument("--jobs", type=int, default=2, help="同時に実行するノートブック数（既定: 2）")

    v = sub.add_parser("validate", help="入力データを検査する")
    v.add_argument("--data-dir", type=Path, help="入力データのフォルダ（既定: data/raw）")

    d = sub.add_parser("demo-data", help="デモデータを生成する（決定的）")
    d.add_argument("--out", type=Path, help="出力先（既定: data/raw）")

    sub.add_parser("sections", help="セクションの一覧とパラメータを表示する")

    r = sub.add_parser("registry", help="施策の台帳・進捗状況の評価・実施計画のExcelを検査する／ひな形を作る")
    rsub = r.add_subparsers(dest="registry_command", required=True, parser_class=_Parser)
    rc = rsub.add_parser("check", help="3つのExcel（施策の台帳・進捗状況の評価・実施計画）を検査する")
    rc.add_argument("--data-dir", type=Path, help="入力データのフォルダ（既定: data/raw）")
    rc.add_argument("--fy", type=int, help="作業中の年度（西暦、既定: 今日の年度）。これより後の改定・取組状況は誤り")
    rt = rsub.add_parser("template", help="3つのExcelのひな形（見出しと記入例の行）を作る")
    rt.add_argument("--out", type=Path, required=True, help="作成先のフォルダ（既存のファイルは上書きしない）")

    sv = sub.add_parser("survey", help="市民意識調査の回答を調査票設計（コードブック）で検査・集計する")
    svs = sv.add_subparsers(dest="survey_command", required=True, parser_class=_Parser)

    def survey_files(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--codebook", type=Path, required=True, help="調査票設計（Excel: 調査概要・設問・選択肢）")
        parser.add_argument("--responses", type=Path, required=True, help="回答データ（CSV・Excel・SPSS .sav）")
        parser.add_argument("--fa-coding", type=Path, help="自由回答の分類（回答者ID・設問ID・分類、点検済みのもの）")
        parser.add_argument("--previous-codebook", type=Path, help="前回調査の調査票設計")
        parser.add_argument("--previous-responses", type=Path, help="前回調査の回答データ")

    sv_v = svs.add_parser("validate", help="集計せずに、問題と検査結果（対象外の回答・選択数の超過）をすべて表示する")
    survey_files(sv_v)
    sv_t = svs.add_parser("tabulate", help="集計表.xlsx と tabulation.csv・numeric.csv・sampling_error.csv を作る")
    survey_files(sv_t)
    sv_t.add_argument("--out", type=Path, required=True, help="出力先のフォルダ")
    sv_t.add_argument("--by", nargs="+", metavar="設問ID",
                      help="クロス集計の軸（単数回答の設問ID。F1×F2 で掛け合わせ）。既定は属性の設問すべて")
    sv_t.add_argument("--suppress", action="store_true", help="回答数の少ないクロス集計のセルを「x」で秘匿する")
    sv_t.add_argument("--min-count", type=int, default=5, help="秘匿しない最小の回答数（既定5: 1～4人を秘匿）")
    sv_t.add_argument("--threshold", type=int, default=30, help="参考値とする回答者数（この人数未満、既定30）")
    sv_t.add_argument("--weights", type=Path, help="重み付けの母集団（設問ID・コード・母集団の CSV/Excel）")
    sv_c = svs.add_parser("codebook-from-sav", help="SPSS（.sav）の変数ラベル・値ラベルから調査票設計の下書きを作る")
    sv_c.add_argument("--sav", type=Path, required=True, help="SPSS の .sav ファイル")
    sv_c.add_argument("--out", type=Path, required=True, help="作成する調査票設計（.xlsx）")
    return p


def _cmd_build(args: argparse.Namespace) -> int:
    from komae_analysis.pipeline.build import build
    from komae_analysis.pipeline.registry import run_params

    if args.jobs < 1:
        raise KomaeError("--jobs は1以上を指定してください")
    def params():  # loaded inside the build, while the section kernels boot
        return run_params(path=args.params) if args.params else run_params(args.fy or 2026)

    result = build(params, data_dir=args.data_dir, out_base=args.out, only=args.only, jobs=args.jobs)
    if result.input_error is not None:
        for p in result.input_error.problems:
            print(f"エラー: {p.format_ja()}", file=sys.stderr)
        stopped = [r.id for r in result.sections if r.status == "not_built"]
        print(f"入力データに{len(result.input_error.problems)}件の問題があるため、"
              f"{'、'.join(stopped)} を作成しませんでした（reports/ の公開中のレポートは変更していません）。",
              file=sys.stderr)
        return EXIT_USER_ERROR
    if not result.ok:
        print(f"エラー: {sum(r.status != 'ok' for r in result.sections)}件のセクションが失敗しました。", file=sys.stderr)
        return EXIT_SECTION_FAILED
    print(f"作成しました（{result.seconds:.1f}秒）: {result.report_dir / 'index.html'}")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from komae_analysis import paths
    from komae_analysis.ingest import registry

    data_dir = args.data_dir or paths.RAW_DIR
    if not Path(data_dir).is_dir():
        raise KomaeError(f"データフォルダ「{data_dir}」がありません")
    problems = registry.validate(Path(data_dir))
    if problems:
        for p in problems:
            print(f"エラー: {p.format_ja()}", file=sys.stderr)
        print(f"{len(problems)}件の問題が見つかりました。", file=sys.stderr)
        return EXIT_USER_ERROR
    n = sum(len(registry.files(s, Path(data_dir))) for s in registry.SOURCES)
    print(f"問題は見つかりませんでした（{n}ファイル）。")
    return EXIT_OK


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from komae_analysis import demo, paths

    out = args.out or paths.RAW_DIR
    files = demo.generate(Path(out))
    print(f"デモデータを{len(files)}ファイル作成しました: {out}")
    return EXIT_OK


def _cmd_sections(args: argparse.Namespace) -> int:
    from komae_analysis.pipeline.notebooks import notebook_parameters
    from komae_analysis.pipeline.registry import SECTIONS

    for s in SECTIONS:
        print(f"{s.id}\t{s.full_title}")
        for name, info in notebook_parameters(s).items():
            kind = f": {info['type']}" if info["type"] not in ("", "None") else ""
            print(f"    {name}{kind} = {info['default']}　{info['help']}")
        print(f"    入力: {', '.join(s.inputs)}")
        print(f"    分析: {s.analysis_module_name}　表・図の番号: 表{s.numbering}-1…／図{s.numbering}-1…")
    return EXIT_OK


def _cmd_registry(args: argparse.Namespace) -> int:
    from komae_analysis import calendar, paths
    from komae_analysis.ingest import plan_check

    if args.registry_command == "template":
        files = plan_check.write_templates(args.out)
        print(f"ひな形を{len(files)}ファイル作成しました: " + "、".join(str(f) for f in files))
        return EXIT_OK
    data_dir = Path(args.data_dir or paths.RAW_DIR)
    if not data_dir.is_dir():
        raise KomaeError(f"データフォルダ「{data_dir}」がありません")
    fy = args.fy or calendar.fiscal_year_of(calendar.now_jst().date())
    problems = plan_check.check(data_dir, fy)
    if problems:
        for p in problems:
            print(f"エラー: {p.format_ja()}", file=sys.stderr)
        print(f"{len(problems)}件の問題が見つかりました。", file=sys.stderr)
        return EXIT_USER_ERROR
    print(f"問題は見つかりませんでした（施策の台帳・進捗状況の評価・実施計画、{calendar.wareki_fy(fy)}時点）。")
    return EXIT_OK


def _survey_files(args: argparse.Namespace):
    from komae_analysis.survey.commands import SurveyFiles

    if (args.previous_codebook is None) != (args.previous_responses is None):
        raise KomaeError("前回調査は --previous-codebook と --previous-responses の両方を指定してください")
    current = SurveyFiles(args.codebook, args.responses, args.fa_coding)
    previous = None if args.previous_codebook is None else SurveyFiles(args.previous_codebook, args.previous_responses)
    return current, previous


def _cmd_survey(args: argparse.Namespace) -> int:
    # the survey engine (pandas, numpy, openpyxl) is imported only when a survey command runs
    from komae_analysis.survey import commands

    if args.survey_command == "codebook-from-sav":
        path = commands.codebook_from_sav(args.sav, args.out)
        print(f"調査票設計の下書きを作成しました: {path}（調査概要・形式・対象条件・属性を確認してください）")
        return EXIT_OK
    current, previous = _survey_files(args)
    if args.survey_command == "validate":
        waves = commands.validate(current, previous)
        lines = [line for w in waves if w is not None for line in w.report]
        for line in lines:
            print(f"注意: {line.format_ja()}")
        n = waves[0].n
        print(f"問題は見つかりませんでした（回答者{n:,}人、設問{len(waves[0].codebook.questions)}問"
              f"{'、注意' + str(len(lines)) + '件' if lines else ''}）。")
        return EXIT_OK
    if args.min_count < 1 or args.threshold < 1:
        raise KomaeError("--min-count と --threshold は1以上を指定してください")
    options = commands.Options(by=args.by, suppress=args.suppress, min_count=args.min_count,
                               threshold=args.threshold, weights=args.weights)
    files, wave = commands.tabulate_files(current, args.out, options, previous)
    for line in wave.report:
        print(f"注意: {line.format_ja()}")
    print(f"集計しました（回答者{wave.n:,}人）: " + "、".join(str(f) for f in files))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = {
        "build": _cmd_build,
        "validate": _cmd_validate,
        "demo-data": _cmd_demo_data,
        "sections": _cmd_sections,
        "registry": _cmd_registry,
        "survey": _cmd_survey,
    }[args.command]
    try:
        return handler(args)
    except InputError as exc:
        for p in exc.problems:
            print(f"エラー: {p.format_ja()}", file=sys.stderr)
        where = "何も書き出していません" if args.command == "survey" else "reports/ は変更していません"
        print(f"入力データに{len(exc.problems)}件の問題があるため中止しました（{where}）。", file=sys.stderr)
        return EXIT_USER_ERROR
    except KomaeError as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("中断しました。", file=sys.stderr)
        return 130


def run() -> None:
    """The console script: :func:`main`, then a quick exit.

    A build leaves the interpreter holding pandas, matplotlib, nbconvert and their objects; tearing
    them down at exit takes a quarter of a second (measured) and does nothing useful: every file is
    written and closed (atomic renames), kernels and worker processes are shut down, and the output
    streams are flushed here. So the process ends with ``os._exit`` once :func:`main` has returned."""
    import os

    try:
        code = main()
    except SystemExit as exc:  # argparse's --help / usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
