"""bot.server.launch: the one description of how each server starts, used by make and the tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from bench.procs import action_server_args, free_port, get_status, rasa_run_args
from bot.server.launch import PROCESS_DEFAULTS, SERVERS, command, environment
from tests.servers import ROOT


def test_the_command_line_of_each_server() -> None:
    assert command("rasa", 5123, extra=["--model", "models/m.tar.gz"], python="py") == [
        "py", "-m", "bot.server.rasa_server", "--port", "5123", "--interface", "127.0.0.1",
        "--model", "models/m.tar.gz",
    ]  # fmt: skip
    assert command("actions", 5124, python="py") == [
        "py", "-m", "bot.server.action_server", "--port", "5124"
    ]  # fmt: skip
    assert command("web", 5125, host="10.0.0.2", python="py") == [
        "py", "-m", "bot.web", "--port", "5125", "--host", "10.0.0.2"
    ]  # fmt: skip


def test_the_bench_and_the_tests_start_the_same_commands() -> None:
    assert action_server_args(5124)[1:] == command("actions", 5124)[1:]
    assert rasa_run_args(ROOT / "models" / "m.tar.gz", 5123)[1:] == command(
        "rasa",
        5123,
        extra=["--model", str(ROOT / "models" / "m.tar.gz"), "--credentials", "credentials.yml",
               "--endpoints", "endpoints.yml"],
    )[1:]


def test_process_settings_fill_in_only_what_is_unset() -> None:
    env = environment({"SANIC_BACKLOG": "64", "PATH": "/bin"}, TF_CPP_MIN_LOG_LEVEL="3")
    assert env["SANIC_BACKLOG"] == "64"
    threads = "TF_INTRA_OP_PARALLELISM_THREADS"
    assert env[threads] == PROCESS_DEFAULTS[threads] == "1"
    assert env["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert env["PATH"] == "/bin"


@pytest.mark.parametrize("name", ["web", "actions"])
def test_make_serves_through_the_description(name: str) -> None:
    """``scripts/serve-<name>.sh`` (what ``make serve-<name>`` runs) answers on its port."""
    spec = SERVERS[name]
    port = free_port()
    env = {**os.environ, spec.port_variable: str(port), "HARBOR_HOST": "127.0.0.1"}
    process = subprocess.Popen(
        ["bash", f"scripts/serve-{name}.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        status = 0
        while time.monotonic() < deadline and process.poll() is None:
            status = get_status(f"http://127.0.0.1:{port}{spec.health_path}")
            if status == 200:
                break
            time.sleep(0.3)
        assert status == 200, f"serve-{name}.sh did not answer on {port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_an_unknown_server_is_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.server.launch", "nginx"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "rasa|actions|web" in result.stderr
