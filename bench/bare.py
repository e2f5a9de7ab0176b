"""A bare Flask route answering the calendar fragment's bytes: the yardstick for the calendar.

Served by gunicorn with the same settings as Innkeeper; BENCH_BODY_FILE names the file
whose bytes it answers.
"""

import os
from pathlib import Path

from flask import Flask

BODY = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()

app = Flask(__name__)


@app.get("/")
def body():
    return BODY, 200, {"Content-Type": "text/html; charset=utf-8"}
