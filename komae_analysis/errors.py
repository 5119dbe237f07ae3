"""Domain errors for bad input.

Every problem found in a raw file is described by an :class:`InputProblem` that names the
file, sheet, row and column, what was expected and what was found. Messages are Japanese
because analysts read them; the CLI prints :meth:`InputProblem.format_ja` and exits 1.
Row numbers are 1-based, as a spreadsheet or text editor shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class InputProblem:
    """One problem in one raw input, located as precisely as the layout allows."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    expected: str | None = None
    found: str | None = None

    def location_ja(self) -> str:
        parts = [f"ファイル「{self.file}」"]
        if self.sheet is not None:
            parts.append(f"シート「{self.sheet}」")
        if self.row is not None:
            parts.append(f"{self.row}行目")
        if self.column is not None:
            parts.append(f"列「{self.column}」")
        return " ".join(parts)

    def format_ja(self) -> str:
        text = f"{self.location_ja()}: {self.message}"
        if self.expected is not None:
            text += f"（期待: {self.expected}"
            text += f"／実際: {self.found}）" if self.found is not None else "）"
        elif self.found is not None:
            text += f"（実際: {self.found}）"
        return text


@dataclass
class InputError(Exception):
    """Raised by a reader when a raw file cannot be read correctly."""

    problems: list[InputProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.format_ja())

    def format_ja(self) -> str:
        return "\n".join(p.format_ja() for p in self.problems)

    @classmethod
    def single(cls, file: str | Path, message: str, **where: object) -> InputError:
        return cls([InputProblem(file=display_name(file), message=message, **where)])  # type: ignore[arg-type]


class KomaeError(Exception):
    """A user-facing error that is not about one input file (bad params, missing data folder …).

    ``str(error)`` is the Japanese message the CLI prints.
    """


def display_name(path: str | Path) -> str:
    """How a file is named in messages: its path relative to the working folder when possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
