"""One sub-package per outside system (national portal, payments, post, ...), each behind a
Protocol with a real client and a protocol-faithful fake.
"""
