"""Coordinators' review queue, recent changes and the "zu überprüfen" lists."""
