"""The people of a review in the store: accounts, browser sessions, and their checks of machine labels.

Passwords are kept as scrypt hashes (hashlib, with a random salt); a session cookie holds a random
token whose SHA-256 alone is stored, so a copy of the review file opens no one's session.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from exoreview.errors import BadInput
from exoreview.results import Evidence, Label
from exoreview.store.database import Store, utc_now

ROLES = ("owner", "reviewer", "viewer")
VERDICTS = ("accepted", "rejected", "added")
SESSION_HOURS = 12
UNBLINDED = "screening_unblinded"  # meta key: who lifted blind screening, and when
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # OWASP's floor for scrypt; about 50 ms a check here


class TeamError(BadInput, ValueError):
    """A user or check that cannot be stored as asked (unknown role, taken name, empty password)."""


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: str

    @property
    def can_write(self) -> bool:
        return self.role in ("owner", "reviewer")


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    csrf: str


@dataclass(frozen=True, slots=True)
class LabelCheck:
    record_id: int
    facet: str
    value: str
    verdict: str  # "accepted", "rejected", or "added" (a label the reviewer made, with its words)
    reviewer: str
    evidence: Evidence | None
    checked_at: str
    id: int = 0
    resolves: bool = False  # an owner's decision between reviewers who checked this label differently


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), dklen=32,
                             n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


def add_user(store: Store, name: str, role: str, password: str) -> User:
    name = name.strip()
    if role not in ROLES:
        raise TeamError(f"role {role!r}: must be one of {', '.join(ROLES)}")
    if not name or len(name) > 64 or any(c in name for c in "<>&\"'"):
        raise TeamError(f"user name {name!r}: 1 to 64 characters, none of < > & \" '")
    if len(password) < 8:
        raise TeamError(f"user {name}: the password must have at least 8 characters")
    if store.db.execute("SELECT 1 FROM users WHERE name=?", (name,)).fetchone():
        raise TeamError(f"user {name}: already exists")
    cursor = store.db.execute("INSERT INTO users(name, role, password_hash, created_at) VALUES (?,?,?,?)",
                              (name, role, hash_password(password), utc_now()))
    return User(int(cursor.lastrowid or 0), name, role)


def users(store: Store) -> list[User]:
    return [User(r["id"], r["name"], r["role"]) for r in store.db.execute("SELECT * FROM users ORDER BY id")]


def authenticate(store: Store, name: str, password: str) -> User | None:
    row = store.db.execute("SELECT * FROM users WHERE name=?", (name,)).fetchone()
    if row is None:
        password_matches(password, hash_password("not a user"))  # the same time as a wrong password
        return None
    return User(row["id"], row["name"], row["role"]) if password_matches(password, row["password_hash"]) else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(store: Store, user: User) -> tuple[str, Session]:
    """A new session: (the token for the cookie, the session with its CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = datetime.now(UTC).replace(microsecond=0)
    store.db.execute("DELETE FROM sessions WHERE expires_at < ?", (now.isoformat(),))  # expired ones go
    expires = (now + timedelta(hours=SESSION_HOURS)).isoformat()
    store.db.execute("INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at) VALUES (?,?,?,?,?)",
                     (_token_hash(token), user.id, csrf, utc_now(), expires))
    return token, Session(user, csrf)


def find_session(store: Store, token: str) -> Session | None:
    row = store.db.execute(
        """SELECT s.csrf, s.expires_at, u.id, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.token_hash=?""", (_token_hash(token),)).fetchone()
    if row is None or row["expires_at"] < datetime.now(UTC).replace(microsecond=0).isoformat():
        return None
    return Session(User(row["id"], row["name"], row["role"]), row["csrf"])


def close_session(store: Store, token: str) -> None:
    store.db.execute("DELETE FROM sessions WHERE token_hash=?", (_token_hash(token),))


def add_check(store: Store, check: LabelCheck) -> int:
    """Store one check, committed before this returns (the answer to the browser comes after)."""
    if check.verdict not in VERDICTS:
        raise TeamError(f"verdict {check.verdict!r}: must be one of {', '.join(VERDICTS)}")
    evidence = check.evidence or Evidence("", 0, 0, "", "")
    cursor = store.db.execute(
        """INSERT INTO label_checks(record_id, facet, value, verdict, reviewer, sentence, field, start, end, match,
                                    checked_at, resolves) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
        (check.record_id, check.facet, check.value, check.verdict, check.reviewer, evidence.sentence,
         evidence.field_name, evidence.start, evidence.end, evidence.match, check.checked_at or utc_now(),
         int(check.resolves)))
    return int(cursor.lastrowid or 0)


def checks(store: Store, record_id: int | None = None) -> list[LabelCheck]:
    """Every check in the order made (the latest of a reviewer's checks of one label is theirs)."""
    sql = "SELECT * FROM label_checks" + (" WHERE record_id=?" if record_id is not None else "") + " ORDER BY id"
    found = []
    for r in store.db.execute(sql, (record_id,) if record_id is not None else ()):
        evidence = (Evidence(r["sentence"], r["start"], r["end"], r["field"], f"reviewer:{r['reviewer']}", r["match"])
                    if r["sentence"] else None)
        found.append(LabelCheck(r["record_id"], r["facet"], r["value"], r["verdict"], r["reviewer"], evidence,
                                r["checked_at"], r["id"], bool(r["resolves"])))
    return found


def added_label(check: LabelCheck) -> Label:
    """The label a reviewer added, standing on the words they selected."""
    assert check.evidence is not None
    return Label(check.record_id, check.facet, check.value, check.evidence)


@dataclass(frozen=True, slots=True)
class Unblinding:
    owner: str
    at: str


def unblind(store: Store, owner: User) -> Unblinding:
    """Lift blind screening for good (the first owner to do so is the one kept); only an owner may."""
    if owner.role != "owner":
        raise TeamError(f"{owner.name} is a {owner.role}: only an owner unblinds screening")
    done = unblinding(store)
    if done is None:
        done = Unblinding(owner.name, utc_now())
        store.set_meta(UNBLINDED, json.dumps({"owner": done.owner, "at": done.at}))
    return done


def unblinding(store: Store) -> Unblinding | None:
    """Who unblinded screening and when; None while it stays blind (or never was)."""
    stored = store.get_meta(UNBLINDED)
    if not stored:
        return None
    data = json.loads(stored)
    return Unblinding(str(data["owner"]), str(data["at"]))
