"""Page numbers of a paged list (the portal's catalogue, the back office's dossier lists)."""

from __future__ import annotations


class PageNumbers:
    """What a pagination bar needs; a page class declares ``total``, ``number`` and ``per_page``
    (the shared template: ``motcua/partials/pagination.html``)."""

    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.number * self.per_page)

    @property
    def window(self) -> list[int | None]:
        """Page numbers to offer (None marks a gap): first, last and two around the current."""
        near = set(range(self.number - 2, self.number + 3)) | {1, self.pages}
        shown: list[int | None] = []
        previous = 0
        for number in sorted(n for n in near if 1 <= n <= self.pages):
            if number - previous > 1:
                shown.append(None)
            shown.append(number)
            previous = number
        return shown
