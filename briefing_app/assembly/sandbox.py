"""The sandbox every section template runs in.

Templates are untrusted: a user may paste one from anywhere. They run in an
ImmutableSandboxedEnvironment with StrictUndefined, and this module adds what
the stock sandbox leaves open:

- no template can reach a file: {% include %}, {% import %} and {% extends %}
  are refused when the template is compiled, and there is no loader;
- ``self`` and the cycler/joiner/namespace/lipsum globals are gone;
- resource limits: ``range`` and every ``for`` loop go through a counter
  that also checks a deadline, ``*``, ``**``, ``+``, ``%`` and ``~`` refuse
  results beyond a size, str.format and filters that pad (center, indent,
  format) refuse huge widths, the output is capped while it streams, and
  runaway macro recursion stops with a message;
- every failure becomes ``TemplateError(section, line, column, message)``.

Compiled code is cached by (name, source) for the life of the process, so a
template is compiled once however many briefings are built.
"""

from __future__ import annotations

import re
import string
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import CodeType
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from briefing_app.assembly import compiled_code_cache
from briefing_app.assembly.budget import BuildBudget
from briefing_app.assembly.fields import data_fields, record_value
from briefing_app.assembly.safe_filters import check_method_call, harden, text_size
from briefing_app.assembly.sandbox_errors import (
    _FILENAME_PREFIX,
    _guess_column,
    _message,
    _runtime_column,
    _tag_column,
    _template_line,
    _word_column,
)
from briefing_app.errors import TemplateError

REMOVED_GLOBALS = ("cycler", "joiner", "namespace", "lipsum")
FORBIDDEN_NODES = {
    nodes.Include: "{% include %} is not allowed in a section",
    nodes.Import: "{% import %} is not allowed in a section",
    nodes.FromImport: "{% from ... import %} is not allowed in a section",
    nodes.Extends: "{% extends %} is not allowed in a section",
}
_FORMAT_WIDTH = re.compile(r"(\d+)")
_PERCENT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")


@dataclass(frozen=True)
class Limits:
    """How much one template render may take."""

    seconds: float = 3.0
    output_chars: int = 2_000_000
    value_chars: int = 1_000_000  # longest string/list an operator may build
    int_bits: int = 100_000
    iterations: int = 1_000_000  # loop turns in one render, all loops together
    range_items: int = 10_000
    width: int = 1_000  # padding widths in format specs and filters


class _Guard:
    """Deadline and counters of the render in progress, and the build's budget."""

    def __init__(self, limits: Limits, budget: BuildBudget | None = None) -> None:
        self.limits = limits
        self.budget = budget or BuildBudget()
        self.deadline = time.monotonic() + limits.seconds
        self.turns = 0
        self.printed = 0  # characters of every {{ }} of the render, captured ones too

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise SecurityError(
                f"the template took longer than {self.limits.seconds:g} s to render"
            )
        self.budget.check_time()

    def print_text(self, chars: int) -> None:
        """Text printed by ``{{ }}``, also inside captured blocks and macros, which
        never reach the output stream's cap until they are joined."""
        self.printed += chars
        if self.printed > 10 * self.limits.output_chars:
            raise SecurityError(
                f"the template printed over {10 * self.limits.output_chars:,} characters"
            )

    def turn(self) -> None:
        self.turns += 1
        if self.turns > self.limits.iterations:
            raise SecurityError(f"the template loops more than {self.limits.iterations:,} times")
        if self.turns % 256 == 0:
            self.check_time()


class _Environment(ImmutableSandboxedEnvironment):
    """The stock sandbox plus size and time limits."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, limits: Limits, budget: BuildBudget | None = None) -> None:
        super().__init__(
            undefined=StrictUndefined, autoescape=False, loader=None, keep_trailing_newline=True
        )
        self.limits = limits
        self.budget = budget or BuildBudget()
        self.guard = _Guard(limits, self.budget)
        for name in REMOVED_GLOBALS:
            self.globals.pop(name, None)
        self.globals["range"] = self.bounded_range
        # Compiled templates join captured text ({% set %} blocks, macros, call
        # and filter blocks) with environment.concat: measured before joining.
        self.concat = self.guarded_join  # type: ignore[assignment]
        self.filters["format"] = self._checked_format_filter
        self.filters["replace"] = self._checked_replace
        self.filters["slice"] = self._count_checked(self.filters["slice"])
        self.filters["batch"] = self._count_checked(self.filters["batch"])
        self.filters["join"] = self._size_checked_join(self.filters["join"])
        # center, indent, wordwrap, sum and tojson are replaced, and every
        # filter wrapped, by safe_filters.harden (TemplateSandbox does it once
        # the helpers' filters are in).

    # -- hooks the compiled template calls --------------------------------

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.guard.check_time()
        args = check_method_call(__self, __obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        __self._check_size(result)
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.guard.check_time()
        fields = data_fields(type(obj))
        if fields is not None and attribute in fields:
            return record_value(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """``obj[argument]``, and the lookup behind selectattr/rejectattr/map/sort."""
        fields = data_fields(type(obj))
        if fields is not None and argument.__class__ is str and argument in fields:
            return record_value(obj, argument)
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.guard.check_time()
        if operator == "%" and isinstance(left, (str, bytes)):
            fields = self._check_percent_format(left)
            values = right if isinstance(right, tuple) else (right,)
            biggest = max((text_size(v, self.limits.value_chars + 1) for v in values), default=0)
            self.check_estimate(len(left) + fields * biggest)
        elif operator == "*":
            self._check_repeat(left, right)
        elif operator == "**":
            self._check_power(left, right)
        result = self.binop_table[operator](left, right)
        self._check_size(result)
        return result

    def guarded_iter(self, iterable: Any) -> Iterator[Any]:
        """Every ``for`` loop iterates through this (see _compile)."""
        for item in iterable:
            self.guard.turn()
            yield item

    def guarded_concat(self, *parts: Any) -> str:
        """The ``~`` operator, with a size limit (measured before the text is made)."""
        self.guard.check_time()
        self.check_estimate(sum(text_size(p, self.limits.value_chars + 1) for p in parts))
        result = "".join(str(part) for part in parts)
        self._check_size(result)
        return result

    def guarded_join(self, parts: Any) -> str:
        """Captured text: a loop may append one long string many times."""
        pieces = list(parts)
        size = sum(len(piece) for piece in pieces)
        if size > self.limits.output_chars:
            raise SecurityError(
                f"a captured block's text grew beyond {self.limits.output_chars:,} characters"
            )
        self.guard.check_time()
        return "".join(pieces)

    def bounded_range(self, *args: int) -> Iterator[int]:
        numbers = range(*args)
        if len(numbers) > self.limits.range_items:
            raise SecurityError(f"range() is limited to {self.limits.range_items:,} items")
        for number in numbers:
            self.guard.turn()
            yield number

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        text = value.__self__
        fields = self._check_format_string(text)
        limit = self.limits.value_chars

        def checked(*args: Any, **kwargs: Any) -> str:
            # Each field prints one argument at most: the biggest bounds them all.
            given = [*args, *kwargs.values()]
            biggest = max((text_size(v, limit + 1) for v in given), default=0)
            self.check_estimate(len(text) + fields * biggest)
            return wrapper(*args, **kwargs)

        return checked

    # -- checks -------------------------------------------------------------

    def check_text(self, value: Any) -> None:
        """Refuse a value whose text would pass the size limit (measured, not made)."""
        self.check_estimate(text_size(value, self.limits.value_chars + 1))

    def check_estimate(self, size: int) -> None:
        if size > self.limits.value_chars:
            raise SecurityError(f"a value grew beyond {self.limits.value_chars:,} items")

    def check_width(self, width: Any) -> None:
        """A width argument: a number, or a string used as one (indent)."""
        if isinstance(width, str):
            width = len(width)
        if isinstance(width, int) and not isinstance(width, bool) and width > self.limits.width:
            raise SecurityError(f"widths are limited to {self.limits.width:,} in templates")

    def check_result(self, value: Any) -> None:
        self._check_size(value)

    def _check_size(self, value: Any) -> None:
        if (
            isinstance(value, (str, list, tuple, bytes, bytearray))
            and len(value) > self.limits.value_chars
        ):
            raise SecurityError(f"a value grew beyond {self.limits.value_chars:,} items")
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value.bit_length() > self.limits.int_bits
        ):
            raise SecurityError("a number grew too large")

    def _check_repeat(self, left: Any, right: Any) -> None:
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple, bytes, bytearray)) and isinstance(times, int):
                if len(seq) * max(times, 0) > self.limits.value_chars:
                    raise SecurityError(f"a value grew beyond {self.limits.value_chars:,} items")
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > self.limits.int_bits:
                raise SecurityError("a number grew too large")

    def _check_power(self, base: Any, exponent: Any) -> None:
        if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1:
            if exponent > 0 and base.bit_length() * exponent > self.limits.int_bits:
                raise SecurityError("a number grew too large")

    def _check_format_string(self, text: str) -> int:
        """Refuse huge widths; the number of replacement fields."""
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError:
            return 0  # str.format itself will report the problem
        for _literal, _field, spec, _conversion in parsed:
            if spec and ("{" in spec or self._too_wide(spec)):
                raise SecurityError("format widths are limited in templates")
        return sum(1 for _literal, field, _spec, _conv in parsed if field is not None)

    def _check_percent_format(self, text: str | bytes) -> int:
        """Refuse huge widths; the number of conversions."""
        if isinstance(text, bytes):
            text = text.decode("latin-1")
        found = 0
        for match in _PERCENT_WIDTH.finditer(text):
            found += 1
            width, precision = match.group(1), match.group(2)
            if (
                "*" in (width, precision)
                or self._too_wide(width or "")
                or self._too_wide(precision or "")
            ):
                raise SecurityError("format widths are limited in templates")
        return found

    def _too_wide(self, spec: str) -> bool:
        return any(int(n) > self.limits.width for n in _FORMAT_WIDTH.findall(spec))

    def _count_checked(self, func: Callable[..., Any]) -> Callable[..., Any]:
        skip = _leading_args(func)

        def checked(*args: Any, **kwargs: Any) -> Any:
            count = args[skip + 1] if len(args) > skip + 1 else None
            if isinstance(count, int) and count > self.limits.range_items:
                raise SecurityError(f"counts are limited to {self.limits.range_items:,}")
            return func(*args, **kwargs)

        return _same_pass_arg(checked, func)

    def _size_checked_join(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """|join: the separator times the number of items must stay small."""
        skip = _leading_args(func)

        def checked(*args: Any, **kwargs: Any) -> Any:
            args = list(args)
            items = list(self.guarded_iter(args[skip])) if len(args) > skip else []
            args[skip : skip + 1] = [items]
            separator = args[skip + 1] if len(args) > skip + 1 else kwargs.get("d", "")
            limit = self.limits.value_chars
            # The items' text too: a thousand references to one long string are
            # a small list and a huge text.
            self.check_estimate(
                len(str(separator)) * max(len(items) - 1, 0)
                + sum(text_size(i, limit + 1) for i in items)
            )
            return func(*args, **kwargs)

        return _same_pass_arg(checked, func)

    def _checked_format_filter(self, value: Any, *args: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            self._check_percent_format(value)
        return self.call_binop(None, "%", str(value), kwargs or args)

    def _checked_replace(self, value: Any, old: str, new: str, count: int | None = None) -> str:
        text = str(value)
        occurrences = text.count(str(old)) if old else len(text) + 1
        if count is not None:
            occurrences = min(occurrences, count)
        if len(text) + occurrences * len(str(new)) > self.limits.value_chars:
            raise SecurityError(f"a value grew beyond {self.limits.value_chars:,} items")
        return text.replace(str(old), str(new), -1 if count is None else count)


def _leading_args(func: Callable[..., Any]) -> int:
    """How many arguments Jinja passes before the value (environment, context)."""
    return 1 if getattr(func, "jinja_pass_arg", None) is not None else 0


def _same_pass_arg(wrapper: Callable[..., Any], func: Callable[..., Any]) -> Callable[..., Any]:
    pass_arg = getattr(func, "jinja_pass_arg", None)
    if pass_arg is not None:
        wrapper.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
    return wrapper


class _Hardener(NodeTransformer):
    """Rewrites the parsed template: loops and ``~`` go through the guards."""

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        node.iter = nodes.Call(
            nodes.EnvironmentAttribute("guarded_iter"),
            [node.iter],
            [],
            None,
            None,
            lineno=node.lineno,
        )
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return nodes.Call(
            nodes.EnvironmentAttribute("guarded_concat"),
            list(node.nodes),
            [],
            None,
            None,
            lineno=node.lineno,
        )


class TemplateSandbox:
    """Compiles and renders section templates under :class:`Limits`.

    One sandbox serves one build (its deadline restarts for every render);
    ``globals`` and ``filters`` are the helpers of docs/templates.md.
    """

    def __init__(
        self,
        globals: dict[str, Any] | None = None,
        filters: dict[str, Callable[..., Any]] | None = None,
        limits: Limits | None = None,
        finalize: Callable[[Any], Any] | None = None,
        budget: BuildBudget | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.budget = budget or BuildBudget()
        self.env = _Environment(self.limits, self.budget)
        env = self.env

        def checked_finalize(value: Any) -> Any:
            # A printed value becomes text: measured first, like every filter's.
            env.check_text(value)
            result = finalize(value) if finalize is not None else value
            if isinstance(result, str):
                env.guard.print_text(len(result))
            return result

        self.env.finalize = checked_finalize
        self.env.globals.update(globals or {})
        self.env.filters.update(filters or {})
        harden(self.env)

    def render(self, source: str, context: dict[str, Any], name: str, first_line: int = 1) -> str:
        """Render ``source`` with ``context``; the text or a TemplateError.

        ``first_line`` is the line of ``source`` in its file, so that errors
        name the file's line when a front matter was cut off above.
        """
        offset = first_line - 1
        code = _compiled(self, source, name, offset)
        template = self.env.template_class.from_code(
            self.env, code, self.env.make_globals(None), None
        )
        self.env.guard = _Guard(self.limits, self.budget)
        chunks: list[str] = []
        size = 0
        try:
            for chunk in template.generate(context):
                size += len(chunk)
                if size > self.limits.output_chars:
                    raise SecurityError(
                        f"the section's text grew beyond {self.limits.output_chars:,} characters"
                    )
                chunks.append(chunk)
                self.env.guard.check_time()
        except TemplateError:
            raise
        except RecursionError:
            raise TemplateError(
                name, None, None, "macros call each other too deeply (endless recursion?)"
            ) from None
        except Exception as exc:  # noqa: BLE001 - every failure becomes a TemplateError with a line
            line = _template_line(exc.__traceback__, name)
            column = _runtime_column(source, line, str(exc)) if line else None
            raise TemplateError(
                name, line + offset if line else None, column, _message(exc)
            ) from None
        return "".join(chunks)

    def compile_check(self, source: str, name: str, first_line: int = 1) -> None:
        """Raise TemplateError if ``source`` does not compile."""
        _compiled(self, source, name, first_line - 1)


def _compiled(sandbox: TemplateSandbox, source: str, name: str, offset: int) -> CodeType:
    key = (source, name, tuple(sorted(sandbox.env.filters)), tuple(sorted(sandbox.env.tests)))
    code = _CODE_CACHE.get(key)
    if code is not None:
        return code
    code = compiled_code_cache.load(sandbox.env, source, name)
    if code is not None:
        _CODE_CACHE[key] = code
        return code
    try:
        code = _compile_checked(sandbox.env, source, name)
    except TemplateSyntaxError as exc:
        line = exc.lineno or 1
        column = _guess_column(sandbox, source, line)
        raise TemplateError(name, line + offset, column, exc.message or str(exc)) from None
    except _Refused as exc:
        raise TemplateError(name, exc.line + offset, exc.column, exc.message) from None
    if len(_CODE_CACHE) > 1024:  # a long editing session must not grow without end
        _CODE_CACHE.clear()
    _CODE_CACHE[key] = code
    compiled_code_cache.store(sandbox.env, source, name, code)
    return code


class _Refused(Exception):
    def __init__(self, line: int, column: int | None, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


_CODE_CACHE: dict[tuple[Any, ...], CodeType] = {}


def _compile_checked(env: _Environment, source: str, name: str) -> CodeType:
    """Parse, check, harden and compile (the caller caches the result)."""
    tree = env.parse(source, name=name)
    for node_type, message in FORBIDDEN_NODES.items():
        for found in tree.find_all(node_type):
            raise _Refused(found.lineno, _tag_column(source, found.lineno), message)
    for found in tree.find_all(nodes.Name):
        if found.name == "self":
            raise _Refused(
                found.lineno,
                _word_column(source, found.lineno, "self"),
                "'self' is not available in sections",
            )
    tree = _Hardener().visit(tree)
    return env.compile(tree, name=name, filename=f"{_FILENAME_PREFIX}{name}>")
