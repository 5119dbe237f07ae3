"""The parameters cell of a section notebook: checked before a build, listed by ``komae sections``.

papermill only warns about an unknown parameter; a typo would then run with the default, so the
build checks that every name it injects is declared. papermill is imported lazily (≈0.3 s).
"""

from __future__ import annotations

from komae_analysis.errors import KomaeError
from komae_analysis.pipeline import registry as catalogue


def check_parameters(section: catalogue.Section) -> None:
    """Fail unless the notebook's parameters cell defines every name the build injects.

    papermill only warns about an unknown parameter; a typo would then run with the default.
    """
    import papermill

    if not section.notebook.exists():
        raise KomaeError(f"セクション「{section.id}」のノートブック「{section.notebook}」がありません")
    declared = set(papermill.inspect_notebook(str(section.notebook)))
    missing = [p for p in catalogue.INJECTED_PARAMETERS if p not in declared]
    if missing:
        raise KomaeError(
            f"ノートブック「{section.notebook.name}」のparametersセルに {', '.join(missing)} がありません"
            "（ビルドが渡すパラメータを受け取れません）"
        )


def notebook_parameters(section: catalogue.Section) -> dict[str, dict[str, str]]:
    """name → {type, default, help} of a notebook's parameters cell (for ``komae sections``)."""
    import papermill

    info = papermill.inspect_notebook(str(section.notebook))
    return {
        name: {"type": v.get("inferred_type_name", ""), "default": v.get("default", ""), "help": v.get("help", "")}
        for name, v in info.items()
    }

