"""What MotCua knows about a signed-in citizen (for pre-filling forms and national flags)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from motcua.core.models import User
from motcua.integrations.models import IdentityLink


@dataclass(frozen=True)
class CitizenProfile:
    """What MotCua knows about a signed-in citizen, for pre-filling forms and national flags."""

    full_name: str
    id_number: str
    phone: str
    email: str
    vneid_verified: bool
    signed_in_with_provider: bool


def citizen_profile(user: User | AnonymousUser) -> CitizenProfile:
    """The citizen's known attributes (account + the most recent provider identity)."""
    if not isinstance(user, User):
        return CitizenProfile("", "", "", "", vneid_verified=False, signed_in_with_provider=False)
    link = IdentityLink.objects.filter(user=user).order_by("-last_login_at", "-created_at").first()
    return CitizenProfile(
        full_name=user.display_name,
        id_number=link.id_number if link else "",
        phone=user.phone,
        email=user.email,
        vneid_verified=bool(link and link.vneid_verified),
        signed_in_with_provider=link is not None,
    )
