"""The part of pytest's API that model-written tests use, for the Pyodide sandbox.

pytest itself is not in Pyodide's standard library and the sandbox installs nothing, so
this module stands in for it: ``pytest.raises``, ``pytest.approx``, ``pytest.mark``
(``parametrize``, ``skip``, ``skipif``, ``xfail``, and any other mark as a label),
``pytest.param``, ``pytest.fixture``, ``pytest.skip``/``fail``/``xfail``,
``pytest.importorskip`` and ``pytest.warns``, with pytest's documented semantics
(docs.pytest.org, "API Reference"). sandbox_runner.py collects and runs the tests and
provides the built-in fixtures (tmp_path, capsys, monkeypatch, request).
"""

import math
import re
import warnings
from collections.abc import Mapping, Sequence

__all__ = [
    "approx",
    "fail",
    "fixture",
    "importorskip",
    "mark",
    "param",
    "raises",
    "skip",
    "warns",
    "xfail",
]


class OutcomeException(BaseException):
    """Base of skip/fail/xfail; a BaseException so that `except Exception` doesn't eat it."""

    def __init__(self, msg=""):
        super().__init__(msg)
        self.msg = msg


class Skipped(OutcomeException):
    pass


class Failed(OutcomeException):
    pass


class XFailed(OutcomeException):
    pass


def skip(reason="", *, msg=None):
    raise Skipped(msg or reason)


skip.Exception = Skipped


def fail(reason="", pytrace=True, *, msg=None):
    raise Failed(msg or reason)


fail.Exception = Failed


def xfail(reason=""):
    raise XFailed(reason)


xfail.Exception = XFailed


def importorskip(modname, minversion=None, reason=None):
    import importlib

    try:
        return importlib.import_module(modname)
    except ImportError:
        raise Skipped(reason or f"could not import {modname!r}") from None


class ExceptionInfo:
    def __init__(self):
        self.type = None
        self.value = None
        self.tb = None

    def match(self, regexp):
        text = str(self.value)
        if not re.search(regexp, text):
            raise AssertionError(f"Regex pattern did not match.\n Regex: {regexp!r}\n Input: {text!r}")
        return True

    def errisinstance(self, exc):
        return isinstance(self.value, exc)

    def __repr__(self):
        return f"<ExceptionInfo {self.value!r}>"


def _exception_names(expected):
    if isinstance(expected, tuple):
        return " or ".join(e.__name__ for e in expected)
    return expected.__name__


class RaisesContext:
    def __init__(self, expected, match):
        self.expected = expected
        self.match_expr = match
        self.excinfo = ExceptionInfo()

    def __enter__(self):
        return self.excinfo

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            raise Failed(f"DID NOT RAISE {_exception_names(self.expected)}")
        if not issubclass(exc_type, self.expected):
            return False
        self.excinfo.type, self.excinfo.value, self.excinfo.tb = exc_type, exc, tb
        if self.match_expr is not None:
            self.excinfo.match(self.match_expr)
        return True


def raises(expected_exception, *args, match=None, **kwargs):
    """`with raises(E, match=...)`, or `raises(E, func, *args, **kwargs)`."""
    context = RaisesContext(expected_exception, match)
    if not args:
        return context
    with context:
        args[0](*args[1:], **kwargs)
    return context.excinfo


class WarningsChecker:
    def __init__(self, expected, match):
        self.expected = expected
        self.match_expr = match
        self.list = []
        self._catcher = warnings.catch_warnings(record=True)

    def __enter__(self):
        self.list = self._catcher.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, exc_type, exc, tb):
        self._catcher.__exit__(exc_type, exc, tb)
        if exc_type is not None:
            return False
        for w in self.list:
            if issubclass(w.category, self.expected) and (
                self.match_expr is None or re.search(self.match_expr, str(w.message))
            ):
                return False
        raise Failed(f"DID NOT WARN. No warnings of type {self.expected!r} were emitted.")

    def __iter__(self):
        return iter(self.list)

    def __len__(self):
        return len(self.list)


def warns(expected_warning=Warning, *args, match=None, **kwargs):
    checker = WarningsChecker(expected_warning, match)
    if not args:
        return checker
    with checker:
        return args[0](*args[1:], **kwargs)


def deprecated_call(*args, **kwargs):
    return warns((DeprecationWarning, PendingDeprecationWarning), *args, **kwargs)


class ApproxBase:
    def __init__(self, expected, rel=None, abs=None, nan_ok=False):
        self.expected = expected
        self.rel = rel
        self.abs = abs
        self.nan_ok = nan_ok

    def _close(self, actual, expected):
        if isinstance(expected, (Mapping, Sequence)) and not isinstance(expected, (str, bytes)):
            return approx(expected, rel=self.rel, abs=self.abs, nan_ok=self.nan_ok) == actual
        if not isinstance(expected, (int, float, complex)) or isinstance(expected, bool):
            return actual == expected
        try:
            if actual == expected:
                return True
            if math.isnan(abs(expected)):
                return self.nan_ok and math.isnan(abs(actual))
            if math.isinf(abs(expected)):
                return False
            return abs(actual - expected) <= self._tolerance(expected)
        except TypeError:
            return False

    def _tolerance(self, expected):
        absolute = 1e-12 if self.abs is None else self.abs
        if self.rel is None and self.abs is not None:
            return absolute
        relative = (1e-6 if self.rel is None else self.rel) * abs(expected)
        return max(relative, absolute)

    def __ne__(self, actual):
        return not self == actual

    __hash__ = None


class ApproxScalar(ApproxBase):
    def __eq__(self, actual):
        return self._close(actual, self.expected)

    def __repr__(self):
        if isinstance(self.expected, complex) or not isinstance(self.expected, (int, float)):
            return f"approx({self.expected!r})"
        return f"{self.expected} ± {self._tolerance(self.expected):.1e}"


class ApproxMapping(ApproxBase):
    def __eq__(self, actual):
        if not isinstance(actual, Mapping) or set(actual) != set(self.expected):
            return False
        return all(self._close(actual[k], v) for k, v in self.expected.items())

    def __repr__(self):
        return "approx({" + ", ".join(f"{k!r}: {ApproxScalar(v, self.rel, self.abs)!r}" for k, v in self.expected.items()) + "})"


class ApproxSequence(ApproxBase):
    def __eq__(self, actual):
        if isinstance(actual, (str, bytes)) or not isinstance(actual, Sequence) or len(actual) != len(self.expected):
            return False
        return all(self._close(a, e) for a, e in zip(actual, self.expected))

    def __repr__(self):
        return "approx([" + ", ".join(repr(ApproxScalar(e, self.rel, self.abs)) for e in self.expected) + "])"


def approx(expected, rel=None, abs=None, nan_ok=False):
    if isinstance(expected, Mapping):
        return ApproxMapping(expected, rel, abs, nan_ok)
    if isinstance(expected, Sequence) and not isinstance(expected, (str, bytes)):
        return ApproxSequence(expected, rel, abs, nan_ok)
    return ApproxScalar(expected, rel, abs, nan_ok)


class ParameterSet:
    def __init__(self, values, id=None, marks=()):
        self.values = values
        self.id = id
        self.marks = list(marks) if isinstance(marks, (list, tuple)) else [marks]


def param(*values, id=None, marks=()):
    return ParameterSet(values, id, marks)


class Mark:
    def __init__(self, name, args=(), kwargs=None):
        self.name = name
        self.args = args
        self.kwargs = kwargs or {}

    def __repr__(self):
        return f"Mark(name={self.name!r}, args={self.args!r}, kwargs={self.kwargs!r})"


class MarkDecorator:
    def __init__(self, mark):
        self.mark = mark

    @property
    def name(self):
        return self.mark.name

    @property
    def args(self):
        return self.mark.args

    @property
    def kwargs(self):
        return self.mark.kwargs

    def __call__(self, *args, **kwargs):
        # applied to a function or class (pytest's rule: one positional callable, no kwargs)
        if len(args) == 1 and not kwargs and (isinstance(args[0], type) or callable(args[0])):
            target = args[0]
            marks = list(getattr(target, "pytestmark", []))
            marks.append(self.mark)
            target.pytestmark = marks
            return target
        return MarkDecorator(Mark(self.mark.name, self.mark.args + args, {**self.mark.kwargs, **kwargs}))


class MarkGenerator:
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return MarkDecorator(Mark(name))


mark = MarkGenerator()


class FixtureDefinition:
    def __init__(self, function, name, autouse, params, ids):
        self.function = function
        self.name = name
        self.autouse = autouse
        self.params = params
        self.ids = ids


def fixture(function=None, *, scope="function", params=None, autouse=False, ids=None, name=None):
    """Marks a fixture; every fixture is function-scoped here (a fresh value per test)."""

    def decorate(f):
        f._pytest_fixture = FixtureDefinition(f, name or f.__name__, autouse, params, ids)
        return f

    if function is not None and callable(function):
        return decorate(function)
    return decorate


yield_fixture = fixture
