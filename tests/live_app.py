"""The app as gunicorn serves it in tests, configured by INNKEEPER_TEST_CONFIG (JSON)."""

import json
import os

from innkeeper import create_app

app = create_app(json.loads(os.environ["INNKEEPER_TEST_CONFIG"]))
