"""The code map (README, "Code map") holds: no module imports against it."""

import ast
from pathlib import Path

import pytest

import innkeeper

PACKAGE = Path(innkeeper.__file__).parent
CORE = {
    "config",
    "extensions",
    "database",
    "clock",
    "exceptions",
    "money",
    "web",
    "ics",
    "security",
    "assets",
    "templating",
    "errors",
    "health",
    "ratelimit",
    "forms",
    "submissions",
    "addresses",
    "locales",
}
# Host accounts and sign-in: what every admin view stands behind.
ACCOUNTS = {"host.auth", "host.forms", "host.models", "host.services", "host.views"}
# What each part may import besides the core and itself.
ALLOWED = {
    "accounts": set(),
    "activity": {"accounts"},
    "properties": {"accounts", "activity"},
    "availability": {"accounts", "activity", "properties"},
    "pricing": {"accounts", "activity", "properties"},
    # The site's name, sender and Reply-To, which every page and message carries.
    "settings": {"accounts", "activity"},
    "mail": {"accounts", "activity", "settings"},
    # The site's language, which a booking taken by phone speaks unless the host picks another.
    "reservations": {
        "accounts",
        "activity",
        "settings",
        "properties",
        "availability",
        "pricing",
        "mail",
    },
    "calendars": {"accounts", "activity", "properties", "availability", "mail"},
    # Built on stays: reservations reach it only through the hooks it registers there.
    "payments": {"accounts", "activity", "properties", "reservations", "mail"},
    # Guest pages reach a place's photos through Property.photos, so they import nothing here.
    "photos": {"accounts", "activity", "properties"},
}
# The top: the app factory, the command line, the worker, the demo data and the host dashboard
# put the features together and may import any of them.
TOP = {"", "cli", "jobs", "demo", "demo_pictures", "dashboard"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__")


def part_of(module: str) -> str:
    if module in TOP:
        return "top"
    if module.split(".")[0] in CORE:
        return "core"
    if module in ACCOUNTS or module == "host":
        return "accounts"
    return module.split(".")[0]


def imports_of(path: Path) -> set[str]:
    """The innkeeper modules a file imports, as dotted names under the package."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("innkeeper"):
                target = node.module.removeprefix("innkeeper").lstrip(".")
            else:
                continue
            found.add(target)
            # `from . import services`: the names may be modules themselves.
            for alias in node.names:
                candidate = f"{target}.{alias.name}" if target else alias.name
                if (PACKAGE / candidate.replace(".", "/")).with_suffix(".py").exists():
                    found.add(candidate)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p) or "innkeeper")
def test_imports_follow_the_code_map(path):
    source = part_of(module_name(path))
    if source == "top":
        return
    allowed = {"core", source, *ALLOWED.get(source, set())}
    wrong = sorted(i for i in imports_of(path) if part_of(i) not in allowed)
    assert wrong == [], f"{module_name(path)} ({source}) may not import {wrong}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p) or "innkeeper")
def test_views_never_import_views(path):
    name = module_name(path)
    if name.rsplit(".", 1)[-1] not in ("views", "admin"):
        return
    others = [
        i for i in imports_of(path) if i.rsplit(".", 1)[-1] in ("views", "admin") and i != name
    ]
    assert others == []


def test_the_map_knows_every_part():
    parts = {part_of(module_name(path)) for path in MODULES}
    assert parts <= {"top", "core", *ALLOWED}, parts - {"top", "core", *ALLOWED}
