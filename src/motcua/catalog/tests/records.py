"""Small, deterministic procedure records for the catalogue tests (JSON import format)."""

from __future__ import annotations

import copy
from typing import Any

from motcua.catalog.data import ProcedureData, parse_record

BIRTH: dict[str, Any] = {
    "code": "1.001193",
    "name": "Thủ tục đăng ký khai sinh",
    "field": "Hộ tịch",
    "levels": ["Cấp xã"],
    "procedure_type": "TTHC được giao luật quy định chi tiết",
    "announcing_decision": "163/QĐ-BTP",
    "applicants": ["Công dân Việt Nam"],
    "implementing_agency": "Ủy ban nhân dân cấp xã",
    "submission_channels": [
        {"channel": "Trực tiếp", "time_limit": {"value": 1}, "fee": "Miễn phí"},
        {"channel": "Trực tuyến", "time_limit": {"value": 1}, "fee": "Miễn phí"},
    ],
    "steps": "Nộp hồ sơ.\nNhận kết quả.",
    "document_groups": [
        {
            "case": "* Giấy tờ phải nộp",
            "documents": [
                {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
                {"name": "Giấy chứng sinh", "originals": 1},
            ],
        }
    ],
    "legal_basis": [{"title": "Luật Hộ tịch", "number": "60/2014/QH13"}],
    "results": [{"name": "Giấy khai sinh", "code": "KQ.1.001193.1"}],
    "source": {"ministry_list": "Bộ Tư pháp", "url": "https://dichvucong.gov.vn/p/1.001193"},
}

BUSINESS: dict[str, Any] = {
    "code": "1.001612",
    "name": "Đăng ký thành lập hộ kinh doanh",
    "field": "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)",
    "levels": ["Cấp xã"],
    "applicants": ["Công dân Việt Nam"],
    "submission_channels": [
        {
            "channel": "Trực tiếp",
            "time_limit": {"value": 3, "unit": "Ngày làm việc"},
            "fee": "50,000 VNĐ",
            "fee_amount": 50000,
            "currency": "VND",
        },
        {
            "channel": "Trực tuyến",
            "time_limit": {"value": 3, "unit": "Ngày làm việc"},
            "fee": "150,000 Việt Nam Đồng",
            "fee_amount": 150000,
            "currency": "VND",
        },
    ],
    "document_groups": [{"documents": [{"name": "Giấy đề nghị đăng ký hộ kinh doanh"}]}],
}

CRIMINAL_RECORD: dict[str, Any] = {
    "code": "3.000333",
    "name": "Cấp Phiếu Lý lịch tư pháp cho công dân Việt Nam",
    "field": "Lý lịch tư pháp",
    "levels": ["Cấp tỉnh"],
    "submission_channels": [
        {"channel": "Trực tiếp", "time_limit": {"value": 10, "unit": "Ngày"}, "fee": "200,000 VNĐ"},
        {"channel": "Dịch vụ bưu chính", "time_limit": {"value": 10, "unit": "Ngày"}},
    ],
}

BUILDING_PERMIT: dict[str, Any] = {
    "code": "1.009974",
    "name": "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV",
    "field": "Hoạt động xây dựng",
    "levels": ["Cấp tỉnh", "Cấp xã"],
    "submission_channels": [
        {"channel": "Trực tiếp", "time_limit": {"value": 20, "unit": "Ngày"}},
    ],
}


def record(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with ``changes`` applied."""
    result = copy.deepcopy(base)
    result.update(changes)
    return result


def data(source: dict[str, Any]) -> ProcedureData:
    """The parsed content of a valid record."""
    parsed = parse_record(source)
    assert isinstance(parsed, ProcedureData), parsed
    return parsed


def rows(*records: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Records numbered as an importer sees them."""
    return [(f"record {n}", r) for n, r in enumerate(records, start=1)]


ALL = [BIRTH, BUSINESS, CRIMINAL_RECORD, BUILDING_PERMIT]
