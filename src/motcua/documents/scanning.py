"""Virus scanning of uploads, behind a small Protocol (a real ClamAV client and test fakes).

``configured_scanner()`` finds a scanner on this server: the ClamAV daemon's Unix socket
(``MOTCUA_CLAMD_SOCKET`` or the Debian default paths), else a ``clamdscan`` program on the PATH.
With none, uploads are stored marked ``not_scanned`` — MotCua never claims a scan that did not
happen. A scanner that is present but fails refuses the upload (``ScannerUnavailable``): storing
an unchecked file while pretending a scanner guards the server would be worse.

The daemon is spoken to with its documented ``INSTREAM`` command (length-prefixed chunks), so the
file never needs to be readable by the daemon's user.
"""

from __future__ import annotations

import shutil
import socket
import struct
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings

#: Where Debian's clamav-daemon puts its socket.
DEFAULT_SOCKETS = (Path("/run/clamav/clamd.ctl"), Path("/var/run/clamav/clamd.ctl"))


@dataclass(frozen=True)
class Verdict:
    """What a scanner said about one file."""

    clean: bool
    signature: str = ""  # e.g. "Eicar-Test-Signature" when not clean


class ScannerUnavailable(Exception):  # noqa: N818 - reads as what happened
    """A scanner is configured or present but did not give a verdict."""


class Scanner(Protocol):
    """Anything that can say whether a stream of bytes carries malware."""

    name: str

    def scan(self, chunks: Iterable[bytes]) -> Verdict: ...


class ClamdSocketScanner:
    """The ClamAV daemon over its Unix socket (``zINSTREAM``)."""

    def __init__(self, path: Path, *, timeout: float = 30.0) -> None:
        self.path = path
        self.timeout = timeout
        self.name = "clamd"

    def scan(self, chunks: Iterable[bytes]) -> Verdict:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(self.timeout)
                conn.connect(str(self.path))
                conn.sendall(b"zINSTREAM\0")
                for chunk in chunks:
                    for start in range(0, len(chunk), 1 << 16):
                        piece = chunk[start : start + (1 << 16)]
                        conn.sendall(struct.pack("!L", len(piece)) + piece)
                conn.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    data = conn.recv(4096)
                    if not data:
                        break
                    reply += data
        except OSError as error:
            raise ScannerUnavailable(f"clamd at {self.path}: {error}") from error
        return _parse_reply(reply.rstrip(b"\0").decode("utf-8", "replace"))


def _parse_reply(text: str) -> Verdict:
    """``stream: OK`` or ``stream: <signature> FOUND``; anything else is a scanner error."""
    text = text.strip()
    if text.endswith(": OK"):
        return Verdict(clean=True)
    if text.endswith(" FOUND"):
        signature = text.split(":", 1)[-1].removesuffix(" FOUND").strip()
        return Verdict(clean=False, signature=signature)
    raise ScannerUnavailable(f"clamd answered {text!r}")


class ClamdscanProgram:
    """The ``clamdscan`` client program, reading the file from its standard input."""

    def __init__(self, program: str, *, timeout: float = 60.0) -> None:
        self.program = program
        self.timeout = timeout
        self.name = "clamdscan"

    def scan(self, chunks: Iterable[bytes]) -> Verdict:
        try:
            proc = subprocess.run(  # noqa: S603 - fixed program, data on stdin
                [self.program, "--no-summary", "--stream", "-"],
                input=b"".join(chunks),
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ScannerUnavailable(f"{self.program}: {error}") from error
        output = proc.stdout.decode("utf-8", "replace").strip().splitlines()
        if proc.returncode == 0:
            return Verdict(clean=True)
        if proc.returncode == 1 and output:
            return _parse_reply(output[-1])
        raise ScannerUnavailable(f"{self.program} exited {proc.returncode}")


def configured_scanner() -> Scanner | None:
    """The scanner present on this server, or None (uploads are then marked not scanned)."""
    configured = str(getattr(settings, "MOTCUA_CLAMD_SOCKET", "") or "")
    if configured:
        return ClamdSocketScanner(Path(configured))
    for path in DEFAULT_SOCKETS:
        if path.is_socket():
            return ClamdSocketScanner(path)
    program = shutil.which("clamdscan")
    if program:
        return ClamdscanProgram(program)
    return None
