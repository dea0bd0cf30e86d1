"""What every format says when the report shows only part of a large review (the synthesis's detail limit)."""

from __future__ import annotations

from exoreview.synthesis.build import Synthesis


def counted_only_note(hidden: int, shown: int) -> str:
    """Under a group's study table when some of its studies are past the report's detail limit."""
    one = hidden == 1
    return (f"{hidden} more {'study' if one else 'studies'} of this group {'is' if one else 'are'} past the "
            f"report's detail limit ({shown} studies shown in full): counted in every number above, listed with "
            f"{'its' if one else 'their'} reference {'number' if one else 'numbers'} in records-behind.csv beside "
            "this report.")


def references_note(s: Synthesis) -> str:
    return (f"References of the {len(s.in_full)} studies shown in full. All {len(s.studies)} included studies are in "
            "the RIS and BibTeX exports and in records-behind.csv beside this report.")


def evidence_note(s: Synthesis) -> str:
    return (f"Shown for the {len(s.in_full)} studies shown in full. The other {s.counted_only} included studies are "
            f"past the report's detail limit ({s.detail_limit}); their labels and sentences are in the web app "
            "(exoreview serve) and in exoreview labels. Set detail_limit = 0 under [report] in the protocol to show "
            "every study here.")
