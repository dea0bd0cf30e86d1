"""Local HTTP servers answering like Europe PMC, ClinicalTrials.gov v2 and OpenAlex, for tests and the offline demo.

Each module holds one API's logic over an in-memory corpus; `base` serves any
of them on loopback with the E-utilities service's fault plan (429 with
Retry-After, 5xx, slow, cut and dropped answers).
"""
