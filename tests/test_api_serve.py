"""`vciso api` serves the app under uvicorn: /docs, /openapi.json, /ready, and a token works end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from scripts.postgres import free_port

ROOT = Path(__file__).resolve().parents[1]


def vciso(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_vciso_api_serves_docs_and_answers_with_a_token(fake_settings):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("VCISO_") or k == "VCISO_CORPUS_DIR"},
        "VCISO_DATA_DIR": str(fake_settings.data_dir),
        "VCISO_EMBEDDING": "fake",
        "VCISO_NEW_PASSWORD": "correct-horse-battery-staple-42",
    }
    vciso(env, "users", "add", "alice", "--role", "executive")
    token = json.loads(vciso(env, "tokens", "create", "--user", "alice", "--name", "ci", "--json"))["token"]
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "advisor.cli", "api", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
            try:
                if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "not ready in time"
            time.sleep(0.3)
        assert "swagger-ui" in httpx.get(f"{url}/docs").text
        assert "/v1/ask" in httpx.get(f"{url}/openapi.json").json()["paths"]
        r = httpx.post(
            f"{url}/v1/ask",
            json={"question": "What does HIPAA 164.308(a)(1) require?", "client": None},
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )
        assert r.status_code == 200, r.text
        assert all(c["client"] is None for c in r.json()["citations"])
        assert httpx.get(f"{url}/v1/clients").status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=30)
