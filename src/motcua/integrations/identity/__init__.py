"""Citizen identity from an OpenID Connect provider: the national SSO of the Cổng DVCQG / VNeID in
production, the local sandbox provider in development and tests (``identity.sandbox``).

MotCua is the relying party (mozilla-django-oidc, ``identity.oidc``). The provider's identity
(issuer + subject) is linked to a MotCua account (``IdentityLink``); the claims give the name, the
citizen identity number (CCCD), phone, e-mail and whether the account was verified with VNeID.
"""
