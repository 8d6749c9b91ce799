"""The demo province: the real post-2025 An Giang (which absorbed Kiên Giang; centre at Rạch Giá).

Administrative units are real (``an-giang-units-2025.json``, a copy of the official list, see
docs/demo.md for its source). Agencies, their codes, staff and citizens are DEMO DATA: the agency
codes follow the QCVN 102 format but are not the official ones (An Giang's level-1 code is not
confirmed), and every person is fictional.
"""
