"""Write-ups: listing, reading and (through operations) changing practices."""
