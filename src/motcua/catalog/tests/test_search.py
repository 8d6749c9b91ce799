"""Search: diacritics optional, đ → d, codes, ranking tiers, filters; same on both databases."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from motcua.catalog.models import Field, ProcedureVersion
from motcua.catalog.ranking import Tier, parse_query, rank
from motcua.catalog.search_index import rebuild_search_index, search_index_mismatches
from motcua.catalog.selectors import catalogue_page, search_procedures
from motcua.catalog.services import (
    create_new_version,
    import_records,
    publish_version,
    update_draft,
)
from motcua.catalog.tests.records import (
    BIRTH,
    BUILDING_PERMIT,
    CRIMINAL_RECORD,
    data,
    record,
    rows,
)

pytestmark = pytest.mark.django_db
START = dt.date(2025, 7, 1)

CIVIL = "Hộ tịch"
REGISTRY = [
    BIRTH,  # 1.001193 "Thủ tục đăng ký khai sinh"
    record(BIRTH, code="1.003583", name="Đăng ký khai sinh lưu động"),
    record(BIRTH, code="1.004884", name="Đăng ký lại khai sinh"),
    record(BIRTH, code="1.000001", name="Cấp trích lục đăng ký khai sinh"),
    record(
        BIRTH, code="2.000635", name="Cấp bản sao Trích lục hộ tịch", levels=["Cấp xã", "Cấp tỉnh"]
    ),
    record(BIRTH, code="1.000656", name="Thủ tục đăng ký khai tử"),
    CRIMINAL_RECORD,  # 3.000333, province
    BUILDING_PERMIT,  # 1.009974, province + commune
]


@pytest.fixture
def registry(db):
    report = import_records(rows(*REGISTRY), publish_from=START)
    assert report.created == len(REGISTRY), report.rejected


def codes(q: str, **filters: Any) -> list[str]:
    return [v.procedure.code for v in search_procedures(q, **filters)]


def test_words_without_diacritics_find_the_procedure(registry):
    assert codes("dang ky khai sinh")[0] == "1.001193"
    assert codes("Đăng ký khai sinh")[0] == "1.001193"
    assert codes("ĐĂNG KÝ KHAI SINH")[0] == "1.001193"


def test_d_with_stroke_folds_to_d(registry):
    assert codes("đăng ký khai tử") == codes("dang ky khai tu")
    assert codes("đang ky khai tu")[0] == "1.000656"


def test_nfd_queries_find_the_same(registry):
    import unicodedata

    assert codes(unicodedata.normalize("NFD", "Đăng ký khai sinh")) == codes("dang ky khai sinh")


def test_codes_are_found_exactly_and_by_prefix(registry):
    assert codes("1.001193") == ["1.001193"]
    assert codes("1.00") == ["1.000001", "1.000656", "1.001193", "1.003583", "1.004884", "1.009974"]
    assert codes("001193") == ["1.001193"]
    assert codes("3.") == ["3.000333"]


def test_ranking_goes_from_name_start_to_phrase_to_all_words(registry):
    assert codes("dang ky khai sinh") == [
        "1.001193",  # starts with the phrase ("Thủ tục" ignored), shortest
        "1.003583",  # starts with the phrase
        "1.000001",  # contains the phrase
        "1.004884",  # has all the words
        "1.000656",  # partial: "đăng ký khai" (3 of 4 words)
    ]


def test_words_found_in_the_field_rank_after_the_name_and_partial_matches_last(registry):
    found = codes("khai sinh ho tich")
    # all words, "hộ tịch" via the field: shortest names first
    assert found[:4] == ["1.001193", "1.004884", "1.003583", "1.000001"]
    assert found[-1] == "1.000656"  # partial: "khai", "hộ tịch" (3 of 4 words)
    assert "2.000635" not in found  # "hộ tịch" only: half the words is not enough
    assert "3.000333" not in found


def _rank(q: str, code: str, name: str, field: str = "ho tich") -> tuple[int, int, int, str]:
    """rank() of a stored row (search text = name, code and field in search form)."""
    key = rank(parse_query(q), code, name, f"{name} {code.replace('.', ' ')} {field}")
    return key or (99, 0, 0, "")


def test_ranking_tiers_are_explained():
    q = "dang ky khai sinh"
    assert _rank(q, "1.001193", "thu tuc dang ky khai sinh")[0] == Tier.NAME_PREFIX
    assert _rank("thu tuc " + q, "1.001193", "dang ky khai sinh")[0] == Tier.NAME_PREFIX
    assert _rank(q, "1.000001", "cap trich luc dang ky khai sinh")[0] == Tier.NAME_PHRASE
    assert _rank(q, "1.004884", "dang ky lai khai sinh")[0] == Tier.NAME_ALL_WORDS
    assert _rank(q, "1.005000", "cap ban sao", "dang ky khai sinh")[0] == Tier.ALL_WORDS
    assert _rank(q, "1.000656", "dang ky khai tu")[:2] == (Tier.PARTIAL, -3)
    assert rank(parse_query(q), "9.999999", "cap giay phep", "cap giay phep 9 999999") is None
    assert _rank("1.0011", "1.001193", "")[0] == Tier.CODE_PREFIX


def test_an_unfinished_last_word_still_finds(registry):
    assert codes("dang ky khai si")[0] == "1.001193"


def test_level_and_field_filters(registry):
    # no words: alphabetical; words: shortest matching name first
    assert codes("", level="province") == ["2.000635", "1.009974", "3.000333"]
    assert codes("cap", level="province") == ["2.000635", "3.000333", "1.009974"]
    civil = Field.objects.get(name=CIVIL)
    assert set(codes("", field=civil.pk)) == {r["code"] for r in REGISTRY[:6]}
    assert codes("giay phep", field=civil.pk) == []


def test_nothing_matches_nonsense(registry):
    assert codes("qwerty") == []
    assert codes("   ") != []  # empty query lists everything
    assert codes("!!!") == []


def test_drafts_and_future_versions_are_not_searchable_and_new_names_are(registry):
    published = ProcedureVersion.objects.get(procedure__code="1.000656")
    draft = create_new_version(published.procedure)
    update_draft(draft, data(record(BIRTH, code="1.000656", name="Đăng ký khai tử trực tuyến")))
    assert codes("truc tuyen") == []
    publish_version(draft, START + dt.timedelta(days=30))
    assert codes("truc tuyen") == ["1.000656"]
    assert search_index_mismatches() == 0


def test_a_catalogue_page_counts_and_pages_the_ranked_results(registry):
    page = catalogue_page("dang ky", per_page=2, page=2)
    assert page.total == 5
    assert (page.number, page.pages, page.first_index, page.last_index) == (2, 3, 3, 4)
    assert page.window == [1, 2, 3]
    assert len(page.versions) == 2
    assert catalogue_page("dang ky", per_page=2, page=99).number == 3


def test_the_index_can_be_rebuilt(registry):
    rebuild_search_index()
    assert search_index_mismatches() == 0
    assert codes("khai sinh")[0] == "1.001193"


def test_partial_matches_only_fill_in_when_full_matches_are_few(registry):
    assert "1.001193" in codes("khai tu dang ky")  # 1 full match: "khai … đăng ký" helps
    many = [
        record(BIRTH, code=f"1.2000{n:02d}", name=f"Đăng ký khai tử trường hợp {n}")
        for n in range(20)
    ]
    import_records(rows(*many), publish_from=START)
    found = codes("khai tu dang ky", limit=100)
    assert len(found) == 21
    assert "1.001193" not in found


def test_words_are_whole_except_the_last(registry):
    tier = _rank("tu dang ky khai sinh", "1.001193", "thu tuc dang ky khai sinh")
    assert tier[:2] == (Tier.PARTIAL, -4)  # "tu" is not "tục"
    assert codes("thu tuc dang ky khai si")[0] == "1.001193"  # the last one may be unfinished


def _brute_force(q: str) -> list[str]:
    """rank() applied to every version in force: what the indexed search must return."""
    query = parse_query(q)
    rows = [
        (rank(query, v.procedure.code, v.name_folded, v.search_text), v.procedure.code)
        for v in ProcedureVersion.objects.filter(status="published").select_related("procedure")
    ]
    full = sorted((key, code) for key, code in rows if key and key[0] <= Tier.ALL_WORDS)
    if query.can_match_partly and len(full) < 20:
        full = sorted((key, code) for key, code in rows if key)
    return [code for _key, code in full]


_VOCABULARY = [
    *("dang", "ky", "khai", "sinh", "tu", "ho", "tich", "cap", "ban", "sao"),
    *("trich", "luc", "giay", "phep", "xay", "dung", "ly", "lai"),
]
_QUERIES = [
    " ".join(random.Random(seed).sample(_VOCABULARY, random.Random(seed + 1).randint(1, 7)))
    + random.Random(seed).choice(["", "", " x", "h"])
    for seed in range(40)
]


@pytest.mark.parametrize("q", _QUERIES)
def test_the_indexed_search_returns_what_ranking_everything_would(registry, q):
    assert codes(q, limit=100) == _brute_force(q)
