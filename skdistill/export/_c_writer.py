"""Writing C99 source for :func:`~skdistill.export.to_c`: literals and a builder.

:class:`CSource` collects what one generated source holds: the tables and
helper functions (``static``, each written once, in the order first used)
and the statements of the function being written, with its local arrays.
Numbers are written so that the C compiler reads back the very same
``double``: Python's shortest round-trip ``repr``, with ``NAN`` and
``HUGE_VAL`` (from ``<math.h>``) for the non-finite values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

#: C99's keywords, which a name cannot be.
C_KEYWORDS = frozenset(
    "auto break case char const continue default do double else enum extern "
    "float for goto if inline int long register restrict return short signed "
    "sizeof static struct switch typedef union unsigned void volatile while "
    "_Bool _Complex _Imaginary".split()
)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def check_name(name: Any) -> str:
    """``name`` if it can prefix the C identifiers of a model, else a ValueError."""
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise ValueError(
            f"name must be a valid C identifier (letters, digits and '_', not "
            f"starting with a digit), such as 'skdistill_model'; got {name!r}."
        )
    if name in C_KEYWORDS or name.startswith("_"):
        raise ValueError(
            f"name {name!r} is a C keyword or starts with '_' (reserved for the C "
            "implementation); choose another, such as 'skdistill_model'."
        )
    return name


def c_double(value: Any) -> str:
    """A C literal that reads back as the ``double`` ``value``, exactly."""
    value = float(value)
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "HUGE_VAL" if value > 0 else "-HUGE_VAL"
    return repr(value)


def c_comment(text: str) -> str:
    """``text`` made safe inside a ``/* */`` comment.

    No ``*/`` (it would end the comment), no ``/*`` (``-Wcomment``), no
    trigraph.
    """
    return str(text).replace("*/", "* /").replace("/*", "/ *").replace("??", "? ?")


def c_string(value: Any) -> str:
    """A label as shown in comments: text quoted and escaped, ASCII only."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (bool, int, float)):
        return c_comment(repr(value))
    text = str(value).encode("ascii", "backslashreplace").decode("ascii")
    text = text.replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return c_comment(f'"{text}"')


def wrap(items: Sequence[str], indent: str, width: int = 79) -> list[str]:
    """``items`` joined by ``", "`` in lines of at most ``width`` characters."""
    lines: list[str] = []
    line = indent
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else "")
        if line.strip() and len(line) + 1 + len(piece) > width:
            lines.append(line.rstrip())
            line = indent
        line += piece + " "
    if line.strip():
        lines.append(line.rstrip())
    return lines


class CSource:
    """The parts of one generated C source, assembled by ``to_c``.

    Parameters
    ----------
    name : str
        The prefix of every identifier of the source (a valid C identifier).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.definitions: list[str] = []
        self._defined: set[str] = set()
        self._symbols: set[str] = set()
        self.locals: list[str] = []
        self.statements: list[str] = []
        self._n_buffers = 0
        #: The width of each array that statements read: ``x`` and the buffers.
        self.widths: dict[str, int] = {}

    # -- file scope -------------------------------------------------------------

    def symbol(self, base: str) -> str:
        """A new file-scope identifier ``NAME_base`` (``NAME_base_2``, ... if taken)."""
        candidate = f"{self.name}_{base}"
        count = 1
        while candidate in self._symbols:
            count += 1
            candidate = f"{self.name}_{base}_{count}"
        self._symbols.add(candidate)
        return candidate

    def helper(self, key: str, text: str) -> str:
        """Define the helper ``NAME_key`` once (``text`` names it ``{name}_key``)."""
        symbol = f"{self.name}_{key}"
        if key not in self._defined:
            self._defined.add(key)
            self._symbols.add(symbol)
            self.definitions.append(text.replace("{name}", self.name).strip() + "\n")
        return symbol

    def table(
        self,
        base: str,
        ctype: str,
        values: Iterable[str],
        *,
        comment: str | None = None,
    ) -> str:
        """A ``static const`` array of C literals; its identifier."""
        items = list(values)
        symbol = self.symbol(base)
        lines = [f"/* {c_comment(comment)} */"] if comment else []
        lines.append(f"static const {ctype} {symbol}[{len(items)}] = {{")
        lines.extend(wrap(items, "    "))
        lines.append("};")
        self.definitions.append("\n".join(lines) + "\n")
        return symbol

    def doubles(self, base: str, values: Iterable[Any], **kwargs: Any) -> str:
        """A ``static const double`` table of ``values``; its identifier."""
        return self.table(base, "double", (c_double(v) for v in values), **kwargs)

    # -- the function being written ------------------------------------------------

    def buffer(self, width: int, comment: str) -> str:
        """A new local ``double`` array of ``width`` values; its name."""
        self._n_buffers += 1
        name = f"t{self._n_buffers}"
        self.widths[name] = width
        self.locals.append(
            f"double {name}[{max(width, 1)}]; /* {c_comment(comment)} */"
        )
        return name

    def emit(self, *statements: str) -> None:
        """Append statements to the function being written."""
        self.statements.extend(statements)

    def take_function_body(self) -> list[str]:
        """The local declarations and statements written so far, then reset them."""
        body = self.locals + self.statements
        self.locals, self.statements = [], []
        return body
