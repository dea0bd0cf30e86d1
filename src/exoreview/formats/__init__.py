"""Readers and writers for bibliographic file formats (PubMed XML, MEDLINE text)."""
