"""Saved searches: a query text plus search filters, kept by a collection or followed by a user.

``criteria`` is the saved search itself (normalised, canonical URL form, checks against the
vocabulary), ``results`` runs it for a reader, ``probe`` asks whether one practice matches it.
"""
