"""The offline demo, fenced off from the product: the synthetic corpus generator (`corpus`), the local
API services that serve it (`localapis`), the demo's MeSH cut (`mesh`) and the `exoreview demo` run (`run`).

No product package imports this one; only the CLI's `demo` and `serve-eutils --demo` commands do, lazily.
"""
