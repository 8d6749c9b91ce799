"""Smoke test of `make run` as a newcomer meets it: start it, wait for the portal, sign in.

Starts `make run` (with MOTCUA_BIND on a free port and a fresh MOTCUA_DATA_DIR), waits up to
``--timeout`` seconds for the portal home page to answer 200 in Vietnamese, signs in to the back
office with the first demo account the command printed, checks the inbox, then stops everything.
Prints the seconds to first answer. Used by .ci/run.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL"))}
    env.update({"MOTCUA_BIND": f"127.0.0.1:{port}", "MOTCUA_DATA_DIR": tempfile.mkdtemp()})
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    started = time.monotonic()
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run"],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    try:
        while True:
            if proc.poll() is not None:
                print(Path(log.name).read_text(encoding="utf-8")[-3000:])
                print(f"make run exited with {proc.returncode}")
                return 1
            if time.monotonic() - started > args.timeout:
                print(f"no answer from {base}/ within {args.timeout:.0f} s")
                return 1
            try:
                with opener.open(base + "/", timeout=5) as response:
                    home = response.read().decode()
                    status = response.status
                break
            except OSError:
                time.sleep(1)
        ready = time.monotonic() - started
        assert status == 200, status
        assert "Nơi nộp hồ sơ" in home, "the home page is not in Vietnamese"
        output = Path(log.name).read_text(encoding="utf-8")
        account = re.search(r"mật khẩu chung: (\S+)\):\n\s+(\S+)", output)
        assert account, "make run printed no demo account"
        password, username = account.group(1), account.group(2)
        with opener.open(base + "/can-bo/dang-nhap/", timeout=10) as response:
            page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the sign-in page"
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - our own local server
            base + "/can-bo/dang-nhap/", data=form, headers={"Referer": base + "/"}
        )
        with opener.open(request, timeout=10) as response:
            inbox = response.read().decode()
            assert response.url.endswith("/can-bo/"), response.url
        assert "Hộp hồ sơ" in inbox, "signed in, but the inbox did not show"
        print(f"make run: portal answered after {ready:.1f} s; {username} signed in; inbox shown")
        return 0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
