"""Collects and runs pytest-style tests inside the Pyodide sandbox, one event per test.

What it runs, as pytest would (docs.pytest.org, "Conventions for Python test discovery"):
``test*`` functions and ``Test*`` classes (no ``__init__``) with ``test*`` methods,
``unittest.TestCase`` subclasses, ``@pytest.mark.parametrize`` (stacked = cartesian
product, pytest's ids), skip/skipif/xfail marks, fixtures from the file and from
conftest.py (with ``yield`` teardown and the built-ins tmp_path, capsys, monkeypatch,
request), setup/teardown methods, and ``async def`` tests (run to completion). Bare
``assert`` statements in test files and conftest.py are rewritten so a failure shows the
compared values, like pytest's assertion rewriting.

``run(test_files, report)`` calls ``report(json_text)`` for each event; a
KeyboardInterrupt (the sandbox's time or output limit) stops the run at once and
propagates, leaving the running test without an end event.
"""

import ast
import asyncio
import inspect
import io
import itertools
import json
import os
import reprlib
import sys
import time
import traceback
import types
import unittest

import pytest

PROJECT = "/project"
_safe = reprlib.Repr()
_safe.maxstring = 200
_safe.maxother = 200
_safe.maxlist = _safe.maxtuple = _safe.maxdict = _safe.maxset = 12
_safe.maxlevel = 4


def saferepr(value):
    try:
        return _safe.repr(value)
    except Exception as error:  # a broken __repr__ must not hide the assertion
        return f"<{type(value).__name__} object (repr failed: {error!r})>"


# -- assertion rewriting --------------------------------------------------------------

_OPS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}


def _needs_where(node):
    """pytest explains calls, attributes and the like, not literals or plain names."""
    return not isinstance(node, ast.Name) and not _is_literal(node)


def _is_literal(node):
    try:
        ast.literal_eval(node)
        return True
    except Exception:
        return False


class AssertRewriter(ast.NodeTransformer):
    """``assert a == b, msg`` → evaluate a and b once, and on failure raise an
    AssertionError built by ``_explain_compare`` from the values and the source text."""

    def __init__(self, source):
        self.source = source

    def visit_Assert(self, node):
        text = ast.get_source_segment(self.source, node.test) or ast.unparse(node.test)
        msg = node.msg if node.msg is not None else ast.Constant(None)
        helpers = ast.Name("__sandbox_assert__", ast.Load())
        test = node.test
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _OPS:
            left_src = ast.get_source_segment(self.source, test.left) or ast.unparse(test.left)
            right_src = ast.get_source_segment(self.source, test.comparators[0]) or ast.unparse(test.comparators[0])
            left = ast.Name("__sandbox_left__", ast.Store())
            right = ast.Name("__sandbox_right__", ast.Store())
            compare = ast.Compare(
                ast.Name("__sandbox_left__", ast.Load()), test.ops, [ast.Name("__sandbox_right__", ast.Load())]
            )
            explain = ast.Call(
                ast.Attribute(helpers, "compare", ast.Load()),
                [
                    ast.Name("__sandbox_left__", ast.Load()),
                    ast.Constant(_OPS[type(test.ops[0])]),
                    ast.Name("__sandbox_right__", ast.Load()),
                    ast.Constant(left_src if _needs_where(test.left) else None),
                    ast.Constant(right_src if _needs_where(test.comparators[0]) else None),
                    msg,
                ],
                [],
            )
            statements = [
                ast.Assign([left], test.left),
                ast.Assign([right], test.comparators[0]),
                ast.If(ast.UnaryOp(ast.Not(), compare), [ast.Raise(ast.Call(ast.Name("AssertionError", ast.Load()), [explain], []))], []),
            ]
        else:
            value = ast.Name("__sandbox_value__", ast.Store())
            explain = ast.Call(
                ast.Attribute(helpers, "value", ast.Load()),
                [ast.Name("__sandbox_value__", ast.Load()), ast.Constant(text), ast.Constant(not _needs_where(test)), msg],
                [],
            )
            statements = [
                ast.Assign([value], test),
                ast.If(
                    ast.UnaryOp(ast.Not(), ast.Name("__sandbox_value__", ast.Load())),
                    [ast.Raise(ast.Call(ast.Name("AssertionError", ast.Load()), [explain], []))],
                    [],
                ),
            ]
        for statement in statements:
            ast.copy_location(statement, node)
            ast.fix_missing_locations(statement)
        return statements


def _sequence_detail(left, right):
    lines = []
    for index, (a, b) in enumerate(zip(left, right)):
        if a != b:
            lines.append(f"At index {index} diff: {saferepr(a)} != {saferepr(b)}")
            break
    if len(left) != len(right):
        longer, name = (left, "Left") if len(left) > len(right) else (right, "Right")
        extra = len(longer) - min(len(left), len(right))
        lines.append(f"{name} contains {extra} more item{'s' if extra != 1 else ''}, first extra item: {saferepr(longer[min(len(left), len(right))])}")
    return lines


def _dict_detail(left, right):
    lines = []
    differing = [k for k in left if k in right and left[k] != right[k]]
    if differing:
        lines.append("Differing items:")
        lines += [f"{{{saferepr(k)}: {saferepr(left[k])}}} != {{{saferepr(k)}: {saferepr(right[k])}}}" for k in differing[:10]]
    only_left = [k for k in left if k not in right]
    only_right = [k for k in right if k not in left]
    if only_left:
        lines.append("Left contains more items: " + saferepr({k: left[k] for k in only_left}))
    if only_right:
        lines.append("Right contains more items: " + saferepr({k: right[k] for k in only_right}))
    return lines


def _string_detail(left, right):
    import difflib

    if "\n" not in left and "\n" not in right:
        for index, (a, b) in enumerate(zip(left, right)):
            if a != b:
                return [f"First difference at index {index}: {a!r} != {b!r}"]
        return [f"Lengths differ: {len(left)} != {len(right)}"]
    return ["Full diff:", *list(difflib.ndiff(right.splitlines(), left.splitlines()))[:60]]


class _Explain:
    """Failure messages for rewritten asserts, in pytest's layout."""

    @staticmethod
    def compare(left, op, right, left_src, right_src, msg):
        lines = [f"assert {saferepr(left)} {op} {saferepr(right)}"]
        for value, source in ((left, left_src), (right, right_src)):
            if source is not None and source != saferepr(value):
                lines.append(f" +  where {saferepr(value)} = {source}")
        try:
            if op == "==":
                if isinstance(left, str) and isinstance(right, str):
                    lines += _string_detail(left, right)
                elif isinstance(left, dict) and isinstance(right, dict):
                    lines += _dict_detail(left, right)
                elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
                    lines += _sequence_detail(left, right)
                elif isinstance(left, (set, frozenset)) and isinstance(right, (set, frozenset)):
                    if left - right:
                        lines.append(f"Extra items in the left set: {saferepr(left - right)}")
                    if right - left:
                        lines.append(f"Extra items in the right set: {saferepr(right - left)}")
        except Exception:
            pass
        return f"{msg}\n" + "\n".join(lines) if msg is not None else "\n".join(lines)

    @staticmethod
    def value(value, source, literal, msg):
        text = f"assert {source}" if literal or source == saferepr(value) else f"assert {saferepr(value)}\n +  where {saferepr(value)} = {source}"
        return f"{msg}\n{text}" if msg is not None else text


def load_module(path, name):
    """Imports a project file with rewritten asserts, as pytest imports test modules."""
    absolute = os.path.join(PROJECT, path)
    with open(absolute, encoding="utf-8") as handle:
        source = handle.read()
    tree = AssertRewriter(source).visit(ast.parse(source, filename=absolute))
    code = compile(tree, absolute, "exec")
    module = types.ModuleType(name)
    module.__file__ = absolute
    module.__sandbox_assert__ = _Explain
    sys.modules[name] = module
    try:
        exec(code, module.__dict__)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


# -- failure messages -----------------------------------------------------------------


def _relative(filename):
    return filename[len(PROJECT) + 1 :] if filename.startswith(PROJECT + "/") else filename


def describe_failure(error):
    """The exception as a model should read it: message, then the project's frames only."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(PROJECT + "/")]
    lines = []
    if isinstance(error, AssertionError):
        lines.append(f"AssertionError: {error}" if str(error) else "AssertionError")
    elif isinstance(error, pytest.OutcomeException):
        lines.append(error.msg or type(error).__name__)
    else:
        lines.append("".join(traceback.format_exception_only(type(error), error)).strip())
    if frames:
        lines.append("")
        for frame in frames[-4:]:
            lines.append(f"{_relative(frame.filename)}:{frame.lineno} in {frame.name}")
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
    return "\n".join(lines)


# -- fixtures -------------------------------------------------------------------------


class CaptureFixture:
    def __init__(self):
        self._out = io.StringIO()
        self._err = io.StringIO()
        self._saved = (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = self._out, self._err

    def readouterr(self):
        result = types.SimpleNamespace(out=self._out.getvalue(), err=self._err.getvalue())
        self._out.seek(0)
        self._out.truncate()
        self._err.seek(0)
        self._err.truncate()
        return result

    def close(self):
        sys.stdout, sys.stderr = self._saved


class MonkeyPatch:
    _missing = object()

    def __init__(self):
        self._undo = []

    def setattr(self, target, name, value=_missing, raising=True):
        if value is MonkeyPatch._missing:
            module_name, _, attribute = target.rpartition(".")
            import importlib

            target, name, value = importlib.import_module(module_name), attribute, name
        old = getattr(target, name, MonkeyPatch._missing)
        if old is MonkeyPatch._missing and raising:
            raise AttributeError(f"{target!r} has no attribute {name!r}")
        self._undo.append(lambda: delattr(target, name) if old is MonkeyPatch._missing else setattr(target, name, old))
        setattr(target, name, value)

    def delattr(self, target, name, raising=True):
        if not hasattr(target, name):
            if raising:
                raise AttributeError(name)
            return
        old = getattr(target, name)
        self._undo.append(lambda: setattr(target, name, old))
        delattr(target, name)

    def setitem(self, mapping, key, value):
        old = mapping.get(key, MonkeyPatch._missing)
        self._undo.append(lambda: mapping.pop(key, None) if old is MonkeyPatch._missing else mapping.__setitem__(key, old))
        mapping[key] = value

    def delitem(self, mapping, key, raising=True):
        if key not in mapping:
            if raising:
                raise KeyError(key)
            return
        old = mapping[key]
        self._undo.append(lambda: mapping.__setitem__(key, old))
        del mapping[key]

    def setenv(self, name, value, prepend=None):
        self.setitem(os.environ, name, str(value))

    def delenv(self, name, raising=True):
        self.delitem(os.environ, name, raising)

    def chdir(self, path):
        old = os.getcwd()
        self._undo.append(lambda: os.chdir(old))
        os.chdir(path)

    def syspath_prepend(self, path):
        old = list(sys.path)
        self._undo.append(lambda: sys.path.__setitem__(slice(None), old))
        sys.path.insert(0, str(path))

    def undo(self):
        while self._undo:
            self._undo.pop()()


class FixtureRequest:
    def __init__(self, node_name, function, param=None):
        self.node = types.SimpleNamespace(name=node_name)
        self.function = function
        self.param = param
        self.fixturename = None
        self._finalizers = []

    def addfinalizer(self, finalizer):
        self._finalizers.append(finalizer)


_tmp_counter = itertools.count()


def _builtin_fixture(name, request, teardowns):
    if name in ("tmp_path", "tmpdir"):
        import pathlib

        path = pathlib.Path(f"/tmp/pytest/{next(_tmp_counter)}")
        path.mkdir(parents=True, exist_ok=True)
        return path if name == "tmp_path" else str(path)
    if name in ("capsys", "capfd"):
        capture = CaptureFixture()
        teardowns.append(capture.close)
        return capture
    if name == "monkeypatch":
        patch = MonkeyPatch()
        teardowns.append(patch.undo)
        return patch
    if name == "request":
        return request
    raise LookupError(name)


BUILTIN_FIXTURES = {"tmp_path", "tmpdir", "capsys", "capfd", "monkeypatch", "request"}


class FixtureScope:
    """Resolves one test's fixtures by parameter name; teardown runs in reverse order."""

    def __init__(self, definitions, request):
        self.definitions = definitions
        self.request = request
        self.values = {}
        self.teardowns = []

    def get(self, name, chain=()):
        if name in self.values:
            return self.values[name]
        if name in chain:
            raise RuntimeError(f"fixture {name!r} depends on itself: {' -> '.join(chain + (name,))}")
        definition = self.definitions.get(name)
        if definition is None:
            if name in BUILTIN_FIXTURES:
                value = _builtin_fixture(name, self.request, self.teardowns)
                self.values[name] = value
                return value
            available = ", ".join(sorted(set(self.definitions) | BUILTIN_FIXTURES))
            raise LookupError(f"fixture {name!r} not found (available: {available})")
        function = definition.function
        kwargs = {p: self.get(p, chain + (name,)) for p in inspect.signature(function).parameters}
        if inspect.isgeneratorfunction(function):
            generator = function(**kwargs)
            value = next(generator)

            def finish(generator=generator):
                try:
                    next(generator)
                except StopIteration:
                    pass

            self.teardowns.append(finish)
        else:
            value = function(**kwargs)
        self.values[name] = value
        return value

    def close(self):
        errors = []
        for teardown in reversed(self.teardowns + self.request._finalizers):
            try:
                teardown()
            except Exception as error:
                errors.append(error)
        if errors:
            raise errors[0]


def fixtures_of(namespace):
    return {
        value._pytest_fixture.name: value._pytest_fixture
        for value in list(vars(namespace).values())
        if hasattr(value, "_pytest_fixture")
    }


# -- collection -----------------------------------------------------------------------


def _marks(*objects):
    marks = []
    for obj in objects:
        marks += list(getattr(obj, "pytestmark", []))
    return marks


def _id_for(value, argname, index):
    if isinstance(value, (str, int, float, bool)) or value is None:
        text = str(value)
        return text if text else f"{argname}{index}"
    if isinstance(value, type):
        return value.__name__
    return f"{argname}{index}"


def expand_parametrize(marks):
    """Every parameter combination as (id, kwargs, marks); stacked decorators multiply."""
    cases = [("", {}, [])]
    for mark in reversed([m for m in marks if m.name == "parametrize"]):
        argnames, argvalues = mark.args[0], mark.args[1]
        names = [n.strip() for n in argnames.split(",")] if isinstance(argnames, str) else list(argnames)
        ids = mark.kwargs.get("ids")
        expanded = []
        for index, raw in enumerate(argvalues):
            param_marks, explicit_id = [], None
            if isinstance(raw, pytest.ParameterSet):
                values, explicit_id, param_marks = raw.values, raw.id, raw.marks
            else:
                values = raw if len(names) > 1 else (raw,)
            if ids is not None and not callable(ids) and index < len(ids):
                explicit_id = ids[index]
            if explicit_id is None:
                if callable(ids):
                    parts = [ids(v) for v in values]
                    explicit_id = "-".join(str(p) if p is not None else _id_for(v, n, index) for p, v, n in zip(parts, values, names))
                else:
                    explicit_id = "-".join(_id_for(v, n, index) for v, n in zip(values, names))
            expanded.append((str(explicit_id), dict(zip(names, values)), param_marks))
        cases = [
            ((f"{base_id}-{new_id}" if base_id else new_id), {**base_kwargs, **new_kwargs}, base_marks + new_marks)
            for new_id, new_kwargs, new_marks in expanded
            for base_id, base_kwargs, base_marks in cases
        ]
    return cases


class TestItem:
    def __init__(self, name, file, function, kwargs, marks, owner=None, fixtures=None):
        self.name = name
        self.file = file
        self.function = function
        self.kwargs = kwargs
        self.marks = marks
        self.owner = owner
        self.fixtures = fixtures or {}


def collect(module, file, fixtures):
    items = []
    for name, value in list(vars(module).items()):
        if name.startswith("test") and inspect.isfunction(value):
            for case_id, kwargs, case_marks in expand_parametrize(_marks(module, value)):
                label = f"{name}[{case_id}]" if case_id else name
                items.append(TestItem(label, file, value, kwargs, _marks(module, value) + case_marks, fixtures=fixtures))
        elif inspect.isclass(value) and issubclass(value, unittest.TestCase):
            for test in unittest.defaultTestLoader.loadTestsFromTestCase(value):
                items.append(TestItem(f"{value.__name__}::{test._testMethodName}", file, test, {}, [], owner="unittest"))
        elif inspect.isclass(value) and name.startswith("Test") and "__init__" not in vars(value):
            class_fixtures = {**fixtures, **fixtures_of(value)}
            for attribute, method in list(vars(value).items()):
                if attribute.startswith("test") and inspect.isfunction(method):
                    marks = _marks(module, value, method)
                    for case_id, kwargs, case_marks in expand_parametrize(marks):
                        label = f"{name}::{attribute}[{case_id}]" if case_id else f"{name}::{attribute}"
                        items.append(TestItem(label, file, method, kwargs, marks + case_marks, owner=value, fixtures=class_fixtures))
    return items


# -- running --------------------------------------------------------------------------


def _skip_reason(marks):
    for mark in marks:
        if mark.name == "skip":
            return mark.kwargs.get("reason") or (mark.args[0] if mark.args else "skipped")
        if mark.name == "skipif":
            condition = mark.args[0] if mark.args else mark.kwargs.get("condition")
            if condition:
                return mark.kwargs.get("reason") or "skipif condition is true"
    return None


class _NoIOSelector:
    """The selector of an event loop without I/O: waiting only moves the loop's clock."""

    def __init__(self, loop):
        self.loop = loop

    def select(self, timeout=None):
        if timeout is None:
            raise RuntimeError("the test is waiting for something that never happens (no task can run and no timer is pending)")
        self.loop._clock += timeout
        return []

    def close(self):
        pass


class SandboxEventLoop(asyncio.BaseEventLoop):
    """asyncio without I/O on a virtual clock, like the JS sandbox's timers.

    Pyodide's own loop (WebLoop) needs its JavaScript bridge, which the sandbox removes;
    sockets and subprocesses are refused anyway. Timers, tasks, futures, gather and
    wait_for work; ``asyncio.sleep(5)`` returns at once with the loop's clock 5 s later.
    """

    def __init__(self):
        self._clock = 0.0
        super().__init__()
        self._selector = _NoIOSelector(self)

    def time(self):
        return self._clock

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass


class SandboxEventLoopPolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return SandboxEventLoop()


def _sandbox_asyncio_run(main, *, debug=None, loop_factory=None):
    with asyncio.Runner(debug=debug, loop_factory=loop_factory or SandboxEventLoop) as runner:
        return runner.run(main)


def _use_sandbox_event_loop():
    """Replaces Pyodide's WebLoop, which it starts as the running loop and patches into
    asyncio.run, with SandboxEventLoop for tests and for the code they call."""
    import warnings

    asyncio.events._set_running_loop(None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        asyncio.set_event_loop_policy(SandboxEventLoopPolicy())
        asyncio.set_event_loop(None)
    asyncio.run = _sandbox_asyncio_run


def _call(function, kwargs):
    result = function(**kwargs)
    if inspect.isawaitable(result):
        result = _sandbox_asyncio_run(result)
    return result


class UnittestResult(unittest.TestResult):
    """One unittest test's outcome, its failure described like a pytest one."""

    def __init__(self):
        super().__init__()
        self.outcome = ("pass", None)

    def addFailure(self, test, err):
        self.outcome = ("fail", describe_failure(err[1]))

    def addError(self, test, err):
        self.outcome = ("error", describe_failure(err[1]))

    def addSubTest(self, test, subtest, err):
        if err is not None and self.outcome[0] == "pass":
            status = "fail" if issubclass(err[0], test.failureException) else "error"
            self.outcome = (status, f"{subtest._subDescription()}\n{describe_failure(err[1])}")

    def addSkip(self, test, reason):
        self.outcome = ("skip", reason)

    def addExpectedFailure(self, test, err):
        self.outcome = ("skip", "expected failure")

    def addUnexpectedSuccess(self, test):
        self.outcome = ("fail", "unexpected success: the test is marked expectedFailure")


def run_item(item):
    """Runs one test; returns (status, message)."""
    if item.owner == "unittest":
        result = UnittestResult()
        item.function.run(result)
        return result.outcome

    reason = _skip_reason(item.marks)
    if reason is not None:
        return "skip", reason
    xfail = next((m for m in item.marks if m.name == "xfail"), None)
    request = FixtureRequest(item.name, item.function)
    instance = item.owner() if item.owner is not None else None
    fixtures = dict(item.fixtures)
    if instance is not None:
        # fixtures written as methods of the test class get the test's instance as self
        for name, definition in fixtures_of(item.owner).items():
            bound = definition.function.__get__(instance)
            fixtures[name] = pytest.FixtureDefinition(bound, name, definition.autouse, definition.params, definition.ids)
    scope = FixtureScope(fixtures, request)
    status, message = "pass", None
    try:
        for definition in fixtures.values():
            if definition.autouse:
                scope.get(definition.name)
        if instance is not None and hasattr(instance, "setup_method"):
            instance.setup_method(item.function)
        function = item.function.__get__(instance) if instance is not None else item.function
        parameters = [p for p in inspect.signature(function).parameters if p not in item.kwargs]
        kwargs = {**item.kwargs, **{p: scope.get(p) for p in parameters}}
        _call(function, kwargs)
    except pytest.Skipped as skipped:
        status, message = "skip", skipped.msg or "skipped"
    except pytest.XFailed as expected:
        status, message = "skip", f"xfail: {expected.msg}" if expected.msg else "xfail"
    except (Exception, pytest.Failed) as error:
        status = "fail" if isinstance(error, (AssertionError, pytest.Failed)) else "error"
        message = describe_failure(error)
    finally:
        try:
            if instance is not None and hasattr(instance, "teardown_method"):
                instance.teardown_method(item.function)
            scope.close()
        except Exception as error:
            if status == "pass":
                status, message = "error", f"teardown failed: {describe_failure(error)}"
    if xfail is not None:
        if status in ("fail", "error"):
            reason = xfail.kwargs.get("reason") or (xfail.args[0] if xfail.args else "expected failure")
            return "skip", f"xfail: {reason}"
        if status == "pass" and xfail.kwargs.get("strict"):
            return "fail", "[XPASS(strict)] the test was expected to fail"
    return status, message


def _module_name(path, taken):
    base = os.path.splitext(os.path.basename(path))[0]
    if base not in taken and base not in sys.modules:
        return base
    return os.path.splitext(path)[0].replace("/", ".")


def _conftests(path):
    """conftest.py files from the project root down to the test file's folder."""
    folders = [""]
    parts = os.path.dirname(path).split("/") if os.path.dirname(path) else []
    for i in range(len(parts)):
        folders.append("/".join(parts[: i + 1]))
    return [os.path.join(folder, "conftest.py") if folder else "conftest.py" for folder in folders]


def run(test_files, report):
    def emit(event):
        report(json.dumps(event))

    os.chdir(PROJECT)
    _use_sandbox_event_loop()
    if PROJECT not in sys.path:
        sys.path.insert(0, PROJECT)
    loaded_conftests = {}
    taken = set()
    for path in test_files:
        folder = os.path.join(PROJECT, os.path.dirname(path))
        if folder not in sys.path:
            sys.path.insert(1, folder)
        fixtures = {}
        try:
            for conftest in _conftests(path):
                if os.path.exists(os.path.join(PROJECT, conftest)):
                    if conftest not in loaded_conftests:
                        loaded_conftests[conftest] = load_module(conftest, f"conftest_{len(loaded_conftests)}")
                    fixtures.update(fixtures_of(loaded_conftests[conftest]))
            name = _module_name(path, taken)
            taken.add(name)
            module = load_module(path, name)
        except (Exception, pytest.OutcomeException) as error:
            if isinstance(error, pytest.Skipped):
                emit({"type": "test_end", "name": path, "file": path, "status": "skip", "message": error.msg, "durationMs": 0})
            else:
                emit({"type": "collect_error", "file": path, "message": describe_failure(error)})
            continue
        fixtures.update(fixtures_of(module))
        try:
            items = collect(module, path, fixtures)
        except Exception as error:
            emit({"type": "collect_error", "file": path, "message": describe_failure(error)})
            continue
        if hasattr(module, "setup_module"):
            module.setup_module()
        for item in items:
            emit({"type": "test_start", "name": item.name, "file": path})
            started = time.perf_counter()
            if hasattr(module, "setup_function") and item.owner is None:
                module.setup_function(item.function)
            status, message = run_item(item)
            if hasattr(module, "teardown_function") and item.owner is None:
                module.teardown_function(item.function)
            event = {
                "type": "test_end",
                "name": item.name,
                "file": path,
                "status": status,
                "durationMs": round((time.perf_counter() - started) * 1000, 3),
            }
            if message:
                event["message"] = message
            emit(event)
        if hasattr(module, "teardown_module"):
            module.teardown_module()
