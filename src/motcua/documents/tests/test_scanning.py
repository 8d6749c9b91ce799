"""The ClamAV client speaks the daemon's INSTREAM protocol (checked against a fake daemon)."""

from __future__ import annotations

import shutil
import socket
import struct
import tempfile
import threading
from pathlib import Path

import pytest

from motcua.documents.scanning import (
    ClamdSocketScanner,
    ScannerUnavailable,
    configured_scanner,
)

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def fake_clamd(path: Path) -> threading.Thread:
    """A one-connection clamd: reads zINSTREAM chunks, answers like the real daemon."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)

    def serve() -> None:
        conn, _ = server.accept()
        with conn, server:
            command = b""
            while not command.endswith(b"\0"):
                command += conn.recv(1)
            assert command == b"zINSTREAM\0"
            data = b""
            while True:
                header = b""
                while len(header) < 4:
                    header += conn.recv(4 - len(header))
                (size,) = struct.unpack("!L", header)
                if size == 0:
                    break
                while size:
                    piece = conn.recv(size)
                    data += piece
                    size -= len(piece)
            found = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in data
            conn.sendall(b"stream: Eicar-Test-Signature FOUND\0" if found else b"stream: OK\0")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def socket_path():
    # Unix socket paths are limited to ~108 bytes; pytest's tmp_path can be longer.
    folder = Path(tempfile.mkdtemp(prefix="mc-"))
    yield folder / "clamd.sock"
    shutil.rmtree(folder, ignore_errors=True)


def test_the_eicar_test_file_is_found(socket_path):
    thread = fake_clamd(socket_path)
    verdict = ClamdSocketScanner(socket_path).scan(iter([EICAR[:20], EICAR[20:]]))
    thread.join(5)
    assert not verdict.clean
    assert verdict.signature == "Eicar-Test-Signature"


def test_a_clean_file_passes(socket_path):
    thread = fake_clamd(socket_path)
    verdict = ClamdSocketScanner(socket_path).scan(iter([b"%PDF-1.7 clean"]))
    thread.join(5)
    assert verdict.clean


def test_a_dead_daemon_is_reported_not_ignored(socket_path):
    with pytest.raises(ScannerUnavailable):
        ClamdSocketScanner(socket_path).scan(iter([b"x"]))


def test_no_scanner_on_this_server_means_none(settings, monkeypatch):
    settings.MOTCUA_CLAMD_SOCKET = ""
    monkeypatch.setattr("motcua.documents.scanning.DEFAULT_SOCKETS", ())
    monkeypatch.setattr("motcua.documents.scanning.shutil.which", lambda _name: None)
    assert configured_scanner() is None


def test_a_configured_socket_is_used(settings):
    settings.MOTCUA_CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    scanner = configured_scanner()
    assert isinstance(scanner, ClamdSocketScanner)
