"""Settings read from the environment at start-up."""

import multiprocessing
import stat

import pytest

from innkeeper import create_app


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    first = create_app(config).config["SECRET_KEY"]
    second = create_app(config).config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 64
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_environment_settings_are_read(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("BASE_URL", "https://stay.example.com/")
    monkeypatch.setenv("REMINDER_DAYS", "5")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/other.db")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["BASE_URL"] == "https://stay.example.com"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["REMINDER_DAYS"] == 5
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/other.db"
    assert not (tmp_path / "secret_key").exists()


def test_host_session_timeouts_are_read_and_must_be_positive(tmp_path, monkeypatch):
    config = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    defaults = create_app(config).config
    assert (defaults["HOST_SESSION_IDLE_MINUTES"], defaults["HOST_SESSION_MAX_HOURS"]) == (120, 12)
    monkeypatch.setenv("HOST_SESSION_IDLE_MINUTES", "30")
    monkeypatch.setenv("HOST_SESSION_MAX_HOURS", "8")
    app = create_app(config)
    assert (app.config["HOST_SESSION_IDLE_MINUTES"], app.config["HOST_SESSION_MAX_HOURS"]) == (
        30,
        8,
    )
    monkeypatch.setenv("HOST_SESSION_MAX_HOURS", "0")
    with pytest.raises(SystemExit, match="HOST_SESSION_MAX_HOURS must be at least 1"):
        create_app(config)


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'innkeeper.db'}"
    assert app.config["MAIL_SERVER"] is None


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(tmp_path, monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @app.get("/whoami")
    def whoami():
        from flask import request

        return request.remote_addr

    response = app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.get_data(as_text=True) == "203.0.113.7"


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing-folder/innkeeper.db",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


WORKERS = 8


def _create_app_in_step(config: dict, everyone_ready, keys) -> None:
    everyone_ready.wait(timeout=10)
    keys.put(create_app(config).config["SECRET_KEY"])


def test_workers_starting_together_share_one_secret_key(tmp_path, monkeypatch):
    # Forked processes, as gunicorn's workers are. (Threads would not do: several
    # creating apps at once can crash CPython 3.11's compiler, used for URL rules.)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    processes = multiprocessing.get_context("fork")
    everyone_ready, keys = processes.Barrier(WORKERS), processes.Queue()
    workers = [
        processes.Process(
            target=_create_app_in_step, args=(config, everyone_ready, keys), daemon=True
        )
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert [worker.exitcode for worker in workers] == [0] * WORKERS
    shared = {keys.get(timeout=1) for _ in workers}
    assert shared == {(tmp_path / "secret_key").read_text().strip()}
    assert list(tmp_path.glob(".secret_key.*")) == []


def test_a_malformed_number_setting_stops_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("REMINDER_DAYS", "abc")
    with pytest.raises(SystemExit, match="REMINDER_DAYS must be a whole number, not 'abc'"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.parametrize(("value", "hours"), [(None, 24), ("0.01", 0.01), ("48", 48)])
def test_request_hold_hours_is_read_in_hours_fractions_allowed(tmp_path, monkeypatch, value, hours):
    config = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    if value is None:
        monkeypatch.delenv("REQUEST_HOLD_HOURS", raising=False)
    else:
        monkeypatch.setenv("REQUEST_HOLD_HOURS", value)
    assert create_app(config).config["REQUEST_HOLD_HOURS"] == hours


@pytest.mark.parametrize("value", ["a day", "0", "-1", "nan", "inf", "9000"])
def test_a_request_hold_that_is_no_number_of_hours_stops_the_start(tmp_path, monkeypatch, value):
    monkeypatch.setenv("REQUEST_HOLD_HOURS", value)
    config = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    with pytest.raises(SystemExit, match=f"REQUEST_HOLD_HOURS must be .*not '{value}'"):
        create_app(config)


def test_pre_arrival_days_default_to_one_and_may_not_be_negative(tmp_path, monkeypatch):
    config = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    assert create_app(config).config["PRE_ARRIVAL_DAYS"] == 1
    monkeypatch.setenv("PRE_ARRIVAL_DAYS", "4")
    assert create_app(config).config["PRE_ARRIVAL_DAYS"] == 4
    monkeypatch.setenv("PRE_ARRIVAL_DAYS", "-1")
    with pytest.raises(SystemExit, match="PRE_ARRIVAL_DAYS must be at least 0, not -1"):
        create_app(config)
