"""The network picture: evidence matrix (members) and the coordinators’ dashboard."""
