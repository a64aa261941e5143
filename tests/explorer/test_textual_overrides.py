"""No widget replaces a private method of Textual's by accident.

A private method is not part of Textual's contract: a widget that defines one under the same name
(as `RegionsTree._add_children` did over `DOMNode._add_children`, with another signature) breaks
whatever inside Textual calls it. Deliberate overrides are listed here with their reason.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import tui.screens
import tui.widgets
from tui.app import RasdApp

DELIBERATE = {
    # guards for three races in Textual 8.2's command palette (see the module's docstring)
    "SafeCommandPalette": {"_action_command_list", "_gather_commands", "_watch__list_visible"},
}


def rasd_classes() -> list[type]:
    classes: list[type] = [RasdApp]
    for package in (tui.widgets, tui.screens):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            classes += [
                c
                for _, c in inspect.getmembers(module, inspect.isclass)
                if c.__module__ == module.__name__
            ]
    return classes


def textual_privates_overridden(cls: type) -> set[str]:
    found = set()
    for name, value in vars(cls).items():
        if not name.startswith("_") or name.startswith("__"):
            continue
        if not (inspect.isfunction(value) or isinstance(value, property)):
            continue
        for base in cls.__mro__[1:]:
            if base.__module__.split(".")[0] == "textual" and name in vars(base):
                found.add(name)
                break
    return found


def test_no_widget_overrides_a_textual_private_method_by_accident() -> None:
    classes = rasd_classes()
    assert any(c.__name__ == "RegionsTree" for c in classes)
    accidental = {
        c.__qualname__: sorted(textual_privates_overridden(c) - DELIBERATE.get(c.__name__, set()))
        for c in classes
    }
    assert {k: v for k, v in accidental.items() if v} == {}
    for name, methods in DELIBERATE.items():
        (cls,) = [c for c in classes if c.__name__ == name]
        assert methods <= textual_privates_overridden(cls), "stale entry in DELIBERATE"
