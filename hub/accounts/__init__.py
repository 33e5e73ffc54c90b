"""A person's own account: the account page, own password, password reset and invitations by mail."""
