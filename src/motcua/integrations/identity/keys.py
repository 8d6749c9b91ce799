"""The sandbox identity provider's RSA signing key (RS256), kept under the data folder.

Pure file and crypto code, read by the settings module at start-up (before Django is ready):
generated once per installation (development and tests), never used in production.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def sandbox_signing_key(data_dir: Path) -> str:
    """The PEM private key at ``<data_dir>/sandbox-idp/oidc-rs256.pem``, created when missing."""
    path = data_dir / "sandbox-idp" / "oidc-rs256.pem"
    if path.exists():
        return path.read_text(encoding="ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    # Two processes may start at once: write to a temporary file, then rename atomically.
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(pem, encoding="ascii")
    temporary.chmod(0o600)
    temporary.replace(path)
    return path.read_text(encoding="ascii")
