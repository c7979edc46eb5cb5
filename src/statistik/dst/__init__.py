"""Statistikbanken (Danmarks Statistik's API): fetching the newest official figures as ordinary uploads."""
