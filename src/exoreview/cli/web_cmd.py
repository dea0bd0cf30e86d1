"""`exoreview serve` (the review in the browser) and `exoreview user add` (who may use it)."""

from __future__ import annotations

import secrets
import sys
from getpass import getpass
from pathlib import Path

import typer
from rich.text import Text

from exoreview.cli.common import out
from exoreview.errors import BadInput
from exoreview.review import ReviewFolder
from exoreview.store import Store
from exoreview.store.team import ROLES, add_user

user_app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                       help="The people who may open the review in the browser.")


@user_app.command("add")
def user_add(review: Path = typer.Argument(..., help="The review folder."),
             name: str = typer.Argument(..., help="The user's name, as they log in."),
             role: str = typer.Option("reviewer", "--role", help=f"One of {', '.join(ROLES)}."),
             password_stdin: bool = typer.Option(False, "--password-stdin",
                                                 help="Read the password from standard input (for scripts).")) -> None:
    """Add a user to a review: owner (everything), reviewer (screens and checks labels) or viewer (reads)."""
    folder = ReviewFolder(review)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass(f"Password for {name}: ")
        if getpass("Again: ") != password:
            raise BadInput("the two passwords differ; nothing was stored")
    with Store.open(folder.store_file, must_exist=True) as store:
        user = add_user(store, name, role, password)
    out.print(Text(f"Added {user.name} ({user.role}) to {folder.store_file}."))


def serve(review: Path = typer.Argument(Path("."), help="The review folder."),
          host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default; "
                                   "for a team, put it behind a reverse proxy with TLS)."),
          port: int = typer.Option(8000, "--port", help="Port to listen on.")) -> None:
    """Open the review in the browser: dashboard, screening (title/abstract, full text, eligibility; blind if the
    protocol says so), included studies, checking each label with its sentence."""
    folder = ReviewFolder(review)
    with Store.open(folder.store_file, must_exist=True) as store:  # the schema migrated before serving
        if not store.db.execute("SELECT 1 FROM users LIMIT 1").fetchone():
            raise BadInput(f"{folder.root}: no users yet; add one with `exoreview user add {folder.root} NAME "
                           "--role owner`")
    serve_folder(folder, host, port)


def serve_folder(folder: ReviewFolder, host: str, port: int) -> None:
    """Serve a review folder until Ctrl-C (uvicorn; Secure cookies behind a TLS proxy on loopback)."""
    import uvicorn

    from exoreview.web.app import create_app

    app = create_app(folder)
    out.print(Text(f"Serving {folder.root} at http://{host}:{port}/ (Ctrl-C stops)"))
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True, forwarded_allow_ips="127.0.0.1")


DEMO_ACCOUNTS = (("owner", "owner"), ("reviewer1", "reviewer"), ("reviewer2", "reviewer"))


def demo_accounts(folder: ReviewFolder) -> list[tuple[str, str, str]]:
    """An owner and two reviewers for the demo review, each with a fresh random password, returned as
    (name, role, password) to be shown once; a review that has accounts already keeps them (none returned)."""
    with Store.open(folder.store_file, must_exist=True) as store:
        if store.db.execute("SELECT 1 FROM users LIMIT 1").fetchone():
            return []
        made = []
        for name, role in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            add_user(store, name, role, password)
            made.append((name, role, password))
    return made
