"""A test double around the real storage that remembers what the documents services saved.

The S3 lane shares one bucket between parallel test workers, whose databases hand out the same
dossier ids: a test compares only the objects it wrote itself, never a folder listing.
"""

from __future__ import annotations

from django.core.files.storage import default_storage


class RecordingStorage:
    """The storage the documents services write to, remembering what they saved (the S3 lane
    shares one bucket between parallel test workers: only this test's own objects are compared)."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.saved: list[str] = []

    def save(self, name: str, content: object, **kwargs: object) -> str:
        saved: str = self.inner.save(name, content, **kwargs)  # type: ignore[attr-defined]
        self.saved.append(saved)
        return saved

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def left_behind(self) -> list[str]:
        return [name for name in self.saved if default_storage.exists(name)]
