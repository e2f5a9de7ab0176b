"""Lighthouse on the guest pages: home, a property and a reservation, on a phone and a desktop.

Serves the demo from a fresh database with gunicorn, books a stay to have a reservation
page, runs the `lighthouse` npm package (installed under bench/ by `make audit`) with the
browser named by CHROME_PATH, prints the four scores of each page and exits 1 when any is
under MIN_SCORE. A guest's reservation page is private and asks search engines not to index
it, which is right: its search score is not counted.

    make audit        # or: CHROME_PATH=/usr/bin/chromium .venv/bin/python -m bench.audit
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

from innkeeper.config import PROJECT_ROOT

from .server import free_port, gunicorn

LIGHTHOUSE = PROJECT_ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PRIVATE_PAGE_CATEGORIES = CATEGORIES[:3]
FORM_FACTORS = ("mobile", "desktop")
MIN_SCORE = 95
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync"
)
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def flask(*args: str, env: dict, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "innkeeper", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        input=stdin,
        text=True,
        check=True,
        capture_output=True,
    )


def book_a_stay(base_url: str) -> str:
    """Books three nights at the demo's Seashell House; returns the guest's page address."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"{base_url}/properties/seashell-house").read().decode()
    check_in = date.today() + timedelta(days=45)
    form = {
        "csrf_token": CSRF.search(page)[1],
        "check_in": check_in.isoformat(),
        "check_out": (check_in + timedelta(days=3)).isoformat(),
        "guests": "2",
        "name": "Ada Lovelace",
        "email": "ada@example.com",
    }
    request = Request(
        f"{base_url}/properties/seashell-house/reservations", data=urlencode(form).encode()
    )
    with opener.open(request) as response:  # follows the 303 to the guest's page
        if "/reservations/" not in response.url:
            raise RuntimeError(f"the booking did not go through: {response.url}")
        return response.url


def lighthouse(url: str, form_factor: str, report: Path, categories: tuple) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(categories)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={"CHROME_PATH": "/usr/bin/chromium", **os.environ})
    result = json.loads(report.read_text())
    return {name: round(result["categories"][name]["score"] * 100) for name in categories}


def below_par(report: Path) -> list[str]:
    """The audits that cost points, to say what to fix."""
    result = json.loads(report.read_text())
    missed = []
    for category in result["categories"].values():
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                missed.append(f"{category['id']}: {audit['title']} {audit.get('displayValue', '')}")
    return missed


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("lighthouse is not installed: run `make audit`", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as instance:
        port = free_port()
        env = {"INNKEEPER_INSTANCE": instance, "BASE_URL": f"http://127.0.0.1:{port}"}
        flask("db", "upgrade", env=env)
        flask("demo", env=env)
        with gunicorn("wsgi:app", env, port=port) as base_url:
            pages = {
                "home": (f"{base_url}/", CATEGORIES),
                "property": (f"{base_url}/properties/seashell-house", CATEGORIES),
                "reservation": (book_a_stay(base_url), PRIVATE_PAGE_CATEGORIES),
            }
            rows, failures = [], []
            for name, (url, categories) in pages.items():
                for form_factor in FORM_FACTORS:
                    report = Path(instance) / f"{name}-{form_factor}.json"
                    scores = lighthouse(url, form_factor, report, categories)
                    rows.append((name, form_factor, scores))
                    if min(scores.values()) < MIN_SCORE:
                        failures.append((name, form_factor, below_par(report)))

    print(f"{'page':<12} {'device':<8} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    for name, form_factor, scores in rows:
        cells = (str(scores.get(c, "-")) for c in CATEGORIES)
        print(f"{name:<12} {form_factor:<8} " + " ".join(f"{cell:>15}" for cell in cells))
    for name, form_factor, missed in failures:
        print(f"\n{name} on {form_factor} is under {MIN_SCORE}:", *missed, sep="\n  ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
