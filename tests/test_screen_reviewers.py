"""Several reviewers on one store: blind queues, undo with history kept, conflicts, kappa, resolution.

The records are the first real PubMed records of medline16n0902 (shared fixtures).
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest

from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.results import EXCLUDE, INCLUDE, MAYBE, TITLE_ABSTRACT, Decision
from exoreview.review import init_folder
from exoreview.screen.reviewers import agreement, conflicts, people, resolve
from exoreview.screen.session import ScreeningSession, protocol_terms, terms_pattern
from exoreview.store import Store
from tests.conftest import shared_path


@pytest.fixture
def review(tmp_path: Path):
    records = list(islice(iter_pubmed_xml(shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")), 30))
    folder = init_folder(tmp_path / "review")
    store = Store.open(folder.store_file)
    ids = store.add_records(records, source="pubmed")
    yield folder, store, ids
    store.close()


def decide(store: Store, reviewer: str, labels: dict[int, str]) -> None:
    store.add_decisions([Decision(i, TITLE_ABSTRACT, label, reviewer) for i, label in labels.items()])


def test_kappa_matches_hand_computation(review):
    _, store, ids = review
    a = [INCLUDE, INCLUDE, EXCLUDE, EXCLUDE, INCLUDE, EXCLUDE]
    b = [INCLUDE, EXCLUDE, EXCLUDE, EXCLUDE, INCLUDE, INCLUDE]
    decide(store, "alice", dict(zip(ids, a, strict=False)))
    decide(store, "bob", dict(zip(ids, b, strict=False)))
    result = agreement(store, "alice", "bob")
    # Observed 4/6; each reviewer says include half the time, so chance agreement is 1/2.
    assert result.n_both == 6
    assert result.observed == pytest.approx(4 / 6)
    assert result.kappa == pytest.approx((4 / 6 - 0.5) / 0.5)
    assert result.table[(INCLUDE, EXCLUDE)] == 1 and result.table[(EXCLUDE, INCLUDE)] == 1


def test_kappa_counts_only_records_both_decided_and_ignores_machines(review):
    _, store, ids = review
    decide(store, "rules", {i: EXCLUDE for i in ids})
    decide(store, "alice", {ids[0]: INCLUDE, ids[1]: EXCLUDE, ids[2]: MAYBE})
    decide(store, "bob", {ids[0]: INCLUDE, ids[1]: EXCLUDE})
    assert people(store) == ["alice", "bob"]
    result = agreement(store, "alice", "bob")
    assert result.n_both == 2 and result.kappa == pytest.approx(1.0)
    assert agreement(store, "alice", "carol").kappa is None


def test_conflicts_listed_until_resolved_and_resolution_stands(review):
    _, store, ids = review
    decide(store, "alice", {ids[0]: INCLUDE, ids[1]: EXCLUDE, ids[2]: INCLUDE})
    decide(store, "bob", {ids[0]: EXCLUDE, ids[1]: EXCLUDE, ids[2]: MAYBE})
    found = conflicts(store)
    assert [c.record_id for c in found] == [ids[0], ids[2]]
    assert found[0].labels == {"alice": INCLUDE, "bob": EXCLUDE}
    resolve(store, ids[0], INCLUDE, note="methods fit E1")
    assert [c.record_id for c in conflicts(store)] == [ids[2]]
    assert conflicts(store, include_resolved=True)[0].resolution == INCLUDE
    assert store.final_decisions(TITLE_ABSTRACT)[ids[0]].label == INCLUDE
    with pytest.raises(ValueError, match="label must be one of"):
        resolve(store, ids[1], "perhaps")


def test_sessions_are_blind_and_undo_keeps_history(review):
    folder, store, ids = review
    protocol = folder.protocol()
    alice = ScreeningSession(store, protocol, "alice")
    first, _ = alice.current()
    alice.note("check the dose")
    made = alice.decide(EXCLUDE, "E1")
    assert made.note == "check the dose" and made.reason_id == "E1"
    bob = ScreeningSession(store, protocol, "bob")
    # Bob's queue ignores Alice's decision: the record she excluded is still his to screen.
    assert first in bob._queue and len(bob._queue) == len(ids)
    assert alice.progress().screened == 1 and bob.progress().screened == 0

    undone = alice.undo()
    assert undone.record_id == first
    assert alice.current()[0] == first
    assert alice.progress().screened == 0
    history = store.decisions(TITLE_ABSTRACT, reviewer="alice", history=True, include_undone=True)
    assert len(history) == 1 and history[0].undone_at
    assert first not in store.final_decisions(TITLE_ABSTRACT)


def test_queue_starts_from_protocol_terms_then_learns(tmp_path: Path):
    # Of the 604 real records, these six name one of the protocol's terms (hair, alopecia, aesthetic, cosmetics).
    records = list(iter_pubmed_xml(shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))
    naming = {72, 140, 152, 309, 377, 428}
    chosen = [records[i] for i in sorted(naming | set(range(24)))]
    folder = init_folder(tmp_path / "review")
    with Store.open(folder.store_file) as store:
        ids = store.add_records(chosen, source="pubmed")
        session = ScreeningSession(store, folder.protocol(), "alice")
        first = {store.record(i).pmid for i in session._queue[: len(naming)]}
        assert first == {records[i].pmid for i in naming}
        assert all(session.term_hits(store.record(i)) == 0 for i in session._queue[len(naming):])
        for label in (INCLUDE, EXCLUDE, EXCLUDE):
            session.decide(label)
        progress = session.progress()
        assert (progress.included, progress.excluded, progress.remaining) == (1, 2, len(ids) - 3)
        assert progress.recall is not None and 0.0 <= progress.recall.low <= progress.recall.high <= 1.0
        # With an include and an exclude, the learner's scores order the rest of the queue.
        scores = [session.score_of(i) for i in session.queue()]
        assert scores == sorted(scores, reverse=True) and len(set(scores)) > 1


def test_protocol_terms_pattern_handles_wildcards(review):
    folder, _, _ = review
    terms = protocol_terms(folder.protocol())
    assert "Exosomes" in terms
    pattern = terms_pattern(["exosom*", "hair loss"])
    assert pattern.search("Exosomal cargo") and pattern.search("for HAIR LOSS")
    assert not pattern.search("chromosome")


@pytest.mark.parametrize(("written", "model"), [("svm", "svm"), ("ensemble", "ensemble"), ("tfidf-logreg", "lr")])
def test_the_protocols_ranker_and_seed_order_the_queue(review, written: str, model: str):
    folder, store, _ = review
    protocol = folder.protocol()
    protocol.screening = type(protocol.screening).model_validate({"ranker": written, "seed": 7})
    session = ScreeningSession(store, protocol, "alice")
    assert (session._learner.model, session._learner.random_state) == (model, 7)


def test_an_unknown_ranker_is_a_protocol_error():
    from exoreview.protocol.loader import parse_protocol
    from exoreview.protocol.model import ProtocolError

    text = 'name = "x"\ntitle = "x"\nquestion = "x"\n[screening]\nranker = "bert"\n[report]\ntitle = "x"\n'
    with pytest.raises(ProtocolError, match=r"screening\.ranker"):
        parse_protocol(text, "protocol.toml")


def test_a_reviewers_decisions_follow_their_own_rows_wherever_they_were_made(review):
    # mine() reads again only the rows new since its last read, unless one was undone; decisions made
    # by the same reviewer in another session (the terminal, a second tab) and undone there count.
    folder, store, ids = review
    protocol = folder.protocol()
    alice = ScreeningSession(store, protocol, "alice")
    elsewhere = ScreeningSession(store, protocol, "alice")
    decide(store, "alice", {ids[0]: INCLUDE, ids[1]: EXCLUDE})
    assert {i: d.label for i, d in alice.mine().items()} == {ids[0]: INCLUDE, ids[1]: EXCLUDE}
    decide(store, "bob", {ids[2]: INCLUDE})  # another reviewer's rows leave hers as they were
    decide(store, "alice", {ids[0]: EXCLUDE})  # she changes her mind: the newer row stands
    assert {i: d.label for i, d in alice.mine().items()} == {ids[0]: EXCLUDE, ids[1]: EXCLUDE}
    assert list(alice.mine()) == [ids[1], ids[0]]  # oldest first, by the standing row
    elsewhere.undo()  # her latest row, undone in the other session: the include before it stands again
    assert {i: d.label for i, d in alice.mine().items()} == {ids[0]: INCLUDE, ids[1]: EXCLUDE}
    assert alice.mine() == {d.record_id: d for d in store.decisions(TITLE_ABSTRACT, reviewer="alice")}


def test_people_differing_leave_a_record_undecided_until_resolved(review):
    # The last click used to decide: a reviewer excluding after another included took the record out.
    _, store, ids = review
    decide(store, "rules", {ids[0]: EXCLUDE, ids[1]: EXCLUDE, ids[2]: INCLUDE})
    decide(store, "alice", {ids[0]: INCLUDE, ids[1]: INCLUDE})
    decide(store, "bob", {ids[0]: EXCLUDE, ids[1]: INCLUDE})
    final = store.final_decisions(TITLE_ABSTRACT)
    assert ids[0] not in final  # a conflict: nothing stands, the record waits for a resolution
    assert final[ids[1]].label == INCLUDE and final[ids[1]].reviewer == "bob"  # people agree, over the rules
    assert final[ids[2]].reviewer == "rules"  # no person decided it: the rules' decision stands
    resolve(store, ids[0], EXCLUDE)
    decide(store, "alice", {ids[0]: MAYBE})  # a later change of mind does not reopen a resolution
    assert store.final_decisions(TITLE_ABSTRACT)[ids[0]].label == EXCLUDE


def test_the_report_says_how_many_records_wait_for_a_resolution(review):
    from exoreview.synthesis.build import build_synthesis

    folder, store, ids = review
    decide(store, "alice", {ids[0]: INCLUDE, ids[1]: INCLUDE})
    decide(store, "bob", {ids[0]: EXCLUDE, ids[1]: INCLUDE})
    assert store.disputed(TITLE_ABSTRACT) == [ids[0]]
    overview = build_synthesis(store, folder.protocol(), base_dir=folder.root).overview
    assert "1 record waits for a resolution because two reviewers decided differently" in overview
