"""“Für meinen Kunden”: practices ranked for a client profile, with reasons and evidence."""
