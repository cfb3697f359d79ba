"""A content-addressed result cache on disk, outside ``docs/``.

An entry's key is the SHA-256 of everything that could change its numbers: the run's
spec, a fingerprint of the model builder's code, the lab's own source, and the library
versions. Entries are written atomically (temporary file, then rename), so a killed
build never leaves a partial entry. An entry that cannot be read is reported in one
line and trained again.
"""

from __future__ import annotations

import ast
import dis
import hashlib
import json
import os
import sys
import tempfile
import threading
import types
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import keras
import numpy as np
import sklearn
import tensorflow as tf

from . import config

FORMAT = 1
_LAB_DIR = Path(__file__).resolve().parent
_PRIMITIVES = (int, float, str, bool, type(None))


# The lab modules that can change a trained number. Figures, tables and the command line
# only present results, so editing them re-renders pages without retraining.
RESULT_MODULES = ("data.py", "engine.py", "experiment.py", "cache.py", "workers.py")
PRESENTATION_MODULES = ("__init__.py", "__main__.py", "bench.py", "config.py", "figures.py", "report.py")
PRESENTATION_MODULES += ("notebook.py", "prose.py", "stats.py", "stopping.py", "tables.py", "tuning.py")


def _without_docstrings(source: str) -> str:
    """The module's syntax tree with docstrings dropped: comments, docstrings and layout
    cannot change a number, so editing them does not retrain."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


_DIGEST_LOCK = threading.Lock()  # CPython 3.11's ast is not thread-safe; the catalogue runs threads
_digests: dict[tuple, str] = {}


def lab_digest() -> str:
    """SHA-256 over the code (not the comments or docstrings) of the lab modules that
    produce results; parsed once per version of the files."""
    paths = [_LAB_DIR / name for name in RESULT_MODULES]
    stamp = tuple((p.name, s.st_mtime_ns, s.st_size) for p in paths for s in [p.stat()])
    with _DIGEST_LOCK:
        if stamp not in _digests:
            h = hashlib.sha256()
            for path in paths:
                h.update(path.name.encode() + b"\0" + _without_docstrings(path.read_text()).encode())
            _digests[stamp] = h.hexdigest()
        return _digests[stamp]


def versions() -> dict[str, str]:
    return {
        "python": "{}.{}".format(*sys.version_info[:2]),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "mnist1d": metadata.version("mnist1d"),  # it generates MNIST-1D
        "format": str(FORMAT),
    }


def _code_digest(code: types.CodeType, h: Any) -> None:
    """Hash what a code object does, not where it sits or what it says about itself: no
    file name, no line numbers, no docstring."""
    h.update(code.co_code)
    h.update(code.co_exceptiontable)
    for names in (code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars):
        h.update(repr(names).encode())
    h.update(repr((code.co_argcount, code.co_kwonlyargcount, code.co_flags)).encode())
    consts = code.co_consts
    if not code.co_name.startswith("<") and consts and isinstance(consts[0], str):
        consts = (None, *consts[1:])  # a function's first constant is its docstring, or None
    for const in consts:
        if isinstance(const, types.CodeType):
            _code_digest(const, h)
        elif isinstance(const, frozenset):  # set literals: order varies between processes
            h.update(repr(sorted(map(repr, const))).encode())
        else:
            h.update(repr(const).encode())


def _global_names(code: types.CodeType) -> set[str]:
    """The global names ``code`` reads (not its attribute names, such as ``layers`` in
    ``keras.layers``), in nested code objects too."""
    names = {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def fingerprint(func: Callable[..., Any], _seen: set[int] | None = None) -> str:
    """A digest of a builder function: its code, defaults, and the constants and helper
    functions it reads from its module. Comments and blank lines do not change it."""
    seen = _seen if _seen is not None else set()
    seen.add(id(func))
    h = hashlib.sha256()
    _code_digest(func.__code__, h)
    h.update(repr((func.__defaults__, func.__kwdefaults__)).encode())
    for name in sorted(_global_names(func.__code__)):
        if name.startswith("__") and name.endswith("__"):
            continue  # __name__, __file__: where the module runs, not what it computes
        if name not in func.__globals__:
            continue  # a builtin, or absent: where the builder runs cannot change its key
        value = func.__globals__[name]
        if isinstance(value, _PRIMITIVES) or (
            isinstance(value, tuple) and all(isinstance(v, _PRIMITIVES) for v in value)
        ):
            h.update(f"{name}={value!r}".encode())
        elif isinstance(value, types.FunctionType) and value.__module__ == func.__module__:
            if id(value) not in seen:
                h.update(f"{name}:{fingerprint(value, seen)}".encode())
    return h.hexdigest()


def key(material: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``material``."""
    blob = json.dumps(material, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _warn(message: str) -> None:
    sys.stderr.write(f"reglab: warning: {message}\n")


def load(digest: str) -> dict[str, Any] | None:
    """The cached result for ``digest``, or None (a bad entry is reported and removed)."""
    if not config.cache_enabled():
        return None
    path = config.cache_dir() / f"{digest}.json"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        entry = json.loads(raw)
        if entry.get("key") != digest or entry.get("format") != FORMAT:
            raise ValueError("written by another version of the lab")
        return entry["result"]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        _warn(f"cache entry {path.name} is unusable ({exc.__class__.__name__}: {exc}); retraining")
        path.unlink(missing_ok=True)
        return None


def store(digest: str, material: dict[str, Any], result: dict[str, Any]) -> None:
    """Write an entry atomically; with the cache disabled, do nothing."""
    if not config.cache_enabled():
        return
    directory = config.cache_dir()
    entry = {"key": digest, "format": FORMAT, "material": material, "result": result}
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{digest[:12]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(entry, handle, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, directory / f"{digest}.json")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def memo(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)``, computed once and then read from the cache.

    For a computation that is not a ``reglab.run`` experiment but is worth caching (a
    hand-written protocol, say). The key covers the function as :func:`fingerprint` sees
    it, the arguments, the lab's source and the library versions. Arguments and the
    result must be JSON values (numbers, strings, lists, dicts).
    """
    try:
        arguments = json.loads(json.dumps({"args": args, "kwargs": kwargs}, sort_keys=True))
    except TypeError as exc:
        raise config.ConfigError(
            f"memo({func.__qualname__}): arguments must be JSON values ({exc})"
        ) from None
    material = {
        "memo": func.__qualname__,  # not the module: a page, a test and a notebook differ there
        "code": fingerprint(func),
        "arguments": arguments,
        "lab": lab_digest(),
        "versions": versions(),
    }
    digest = key(material)
    if (hit := load(digest)) is not None:
        return hit["value"]
    value = func(*args, **kwargs)
    store(digest, material, {"value": value})
    return value
