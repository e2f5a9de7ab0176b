"""What a guest reads is marked for translation, and the catalogue can be extracted."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from innkeeper.config import PROJECT_ROOT


def test_guest_facing_strings_are_extracted_for_translators(tmp_path):
    catalogue = tmp_path / "messages.pot"
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    subprocess.run(
        [
            pybabel,
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(catalogue),
            "src",
            "templates",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    with catalogue.open("rb") as f:
        ids = {
            message.id if isinstance(message.id, str) else message.id[0] for message in read_po(f)
        }
    for text in (
        "Check-out must be after check-in.",  # a booking rule
        "Show the price",  # a page
        "Hello %(name)s,",  # a mail
        "Enter your name.",  # a form message
        "Sleeps %(num)d guest",  # a plural
    ):
        assert text in ids
