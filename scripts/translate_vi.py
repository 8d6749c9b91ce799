"""Fill the Vietnamese catalogue from scripts/vi.tsv and scripts/vi.d/*.tsv (msgid<TAB>msgstr, one
file per area so parallel work does not collide) and compile both catalogues.

Usage: .venv/bin/python scripts/translate_vi.py   (after `make messages` extracted new strings)
Lines of vi.tsv use ``\\n``-free English msgids exactly as in the code (whitespace collapsed).
Untranslated Vietnamese entries are listed so they can be added to vi.tsv.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "motcua" / "locale"


def main() -> int:
    table: dict[str, str] = {}
    sources = [ROOT / "scripts" / "vi.tsv", *sorted((ROOT / "scripts" / "vi.d").glob("*.tsv"))]
    for source in sources:
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                msgid, msgstr = line.split("\t")
                table[" ".join(msgid.split())] = msgstr.strip()
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    po.metadata.update(
        {
            "Project-Id-Version": "MotCua",
            "Language": "vi",
            "Language-Team": "MotCua contributors",
            "Plural-Forms": "nplurals=1; plural=0;",
            "Content-Type": "text/plain; charset=UTF-8",
        }
    )
    missing = []
    for entry in po:
        key = " ".join(entry.msgid.split())
        if key in table:
            if entry.msgid_plural:
                # Vietnamese has one plural form (nplurals=1): the line translates both ids.
                entry.msgstr_plural = {0: table[key]}
            else:
                entry.msgstr = table[key]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
        else:
            missing.append(entry.msgid)
    po.save()
    for language in ("vi", "en"):
        catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
        catalogue.save_as_mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
