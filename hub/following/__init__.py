"""Following practices, tags, sectors, topics and collections; notifications and e-mail digests."""
