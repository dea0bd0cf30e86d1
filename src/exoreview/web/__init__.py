"""The review in the browser: `exoreview serve` (exoreview.web.app.create_app)."""
