"""Accounts, login, roles and permissions."""
