"""Every string marked for translation has a French translation.

The interface speaks French by default: a string marked in Python (`_()`, `gettext…`) or in a
template (`{% translate %}`, `{% blocktranslate %}`) without a French entry would show English to
a French team. The catalogues are compared with the marked strings directly, so the test needs
no GNU gettext.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib

SRC = Path(__file__).resolve().parents[2] / "src" / "sclerocell"
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
TRANSLATE_TAG = re.compile(
    r"{%\s*(?:translate|trans)\s+(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')(?:\s+context\s+\S+)?"
    r"(?:\s+as\s+\w+)?\s*(?:noop\s*)?%}"
)
BLOCK_TAG = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)\b([^%]*)%}(.*?){%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.S,
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def python_msgids(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", None))
        if name not in GETTEXT_NAMES:
            continue
        text = node.args[1] if name.startswith("pgettext") and len(node.args) > 1 else node.args[0]
        if isinstance(text, ast.Constant) and isinstance(text.value, str):
            found.add(text.value)
    return found


def template_msgids(path: Path) -> set[str]:
    content = path.read_text(encoding="utf-8")
    found = {ast.literal_eval(match) for match in TRANSLATE_TAG.findall(content)}
    for options, body in BLOCK_TAG.findall(content):
        singular = re.split(r"{%\s*plural\s*%}", body)[0]
        text = VARIABLE.sub(r"%(\1)s", singular)
        if "trimmed" in options:
            text = " ".join(text.split())
        found.add(text)
    return found


def french_catalogue() -> dict[str, str]:
    translations: dict[str, str] = {}
    for po_path in SRC.rglob("locale/fr/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr and "fuzzy" not in entry.flags:
                translations[entry.msgid] = entry.msgstr
            elif entry.msgstr_plural and all(entry.msgstr_plural.values()):
                translations[entry.msgid] = entry.msgstr_plural[0]
    return translations


def marked_strings() -> dict[str, str]:
    marked: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" not in path.parts:
            marked.update(dict.fromkeys(python_msgids(path), str(path.relative_to(SRC))))
    for path in SRC.rglob("templates/**/*.html"):
        marked.update(dict.fromkeys(template_msgids(path), str(path.relative_to(SRC))))
    return marked


def test_it_finds_the_strings_marked_in_code_and_templates() -> None:
    marked = marked_strings()
    assert "Dashboard" in marked
    assert "Log in" in marked


def test_every_marked_string_has_a_french_translation() -> None:
    french = french_catalogue()
    missing = sorted(
        f"{where}: {msgid!r}" for msgid, where in marked_strings().items() if msgid not in french
    )
    assert not missing, "strings without a French translation:\n" + "\n".join(missing)


def test_no_catalogue_has_an_empty_or_fuzzy_entry() -> None:
    problems = []
    for po_path in SRC.rglob("locale/fr/LC_MESSAGES/django.po"):
        catalogue = polib.pofile(str(po_path))
        problems += [
            f"{po_path.relative_to(SRC)}: {e.msgid!r}" for e in catalogue.untranslated_entries()
        ]
        problems += [f"{po_path.relative_to(SRC)}: {e.msgid!r}" for e in catalogue.fuzzy_entries()]
    assert not problems, "\n".join(problems)
