"""Composition root: the env-driven settings, URLs, WSGI/ASGI, the `motcua` command and the demo
loader.
"""
