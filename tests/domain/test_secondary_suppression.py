"""Issue 15, point 7, secondary suppression: in the published SVF table a hidden small count
must not be the total row minus the other rows. Where one value of a group of SVFs (those of
the inclusion goal, the others) is hidden, another is hidden with it; whatever is still shown
never gives the small count back by subtraction."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.disclosure import Masking, complements
from desktop_app.domain.figures import svf_value
from desktop_app.domain.template import load_template
from tests.helpers.factories import complete_report

TPL = load_template("svf-2024")
LIM = TPL.disclosure
SCOPE = [s.id for s in TPL.inclusion_svfs()]
OTHERS = [s.id for s in TPL.svfs if s.id not in SCOPE]


def _with(values: dict[str, int]):
    report = complete_report(TPL, over=0)
    for svf_id, n in values.items():
        svf = TPL.svf(svf_id)
        for x in svf.sexes:
            report.figures.set(svf_id, "included", x, 0)
            report.figures.set(svf_id, "within_lead_time", x, 0)
        report.figures.set(svf_id, "included", svf.sexes[0], n)
    return report.figures


def test_one_hidden_count_gets_the_smallest_other_of_its_group_as_complement() -> None:
    fig = _with({SCOPE[0]: 3, SCOPE[1]: 6})
    hidden = complements(fig, TPL, LIM)
    assert (SCOPE[1], "included") in hidden
    assert not any(row == SCOPE[0] for row, _ in hidden)  # the small one is hidden by value


def test_two_hidden_counts_need_no_complement() -> None:
    fig = _with({SCOPE[0]: 3, SCOPE[1]: 2})
    assert not any(m == "included" for _, m in complements(fig, TPL, LIM))


def test_no_limits_no_complements() -> None:
    assert complements(_with({SCOPE[0]: 3}), TPL, None) == frozenset()


def test_a_lone_hidden_value_in_a_group_without_others_hides_the_total() -> None:
    if len(OTHERS) < 1:
        return
    fig = _with({OTHERS[0]: 2, **{s: 0 for s in OTHERS[1:]}})
    assert ("total_all", "included") in complements(fig, TPL, LIM)


def _shown(fig, mask: Masking, svf_id: str) -> int | None:
    """What the published table shows of an SVF's included: the number, or None if hidden."""
    v = svf_value(fig, TPL, svf_id, "included")
    if v is None or mask.small(v) or (svf_id, "included") in mask.hidden:
        return None
    return int(v)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=len(SCOPE), max_size=len(SCOPE)))
def test_no_hidden_small_count_is_the_total_minus_the_shown(counts: list[int]) -> None:
    fig = _with(dict(zip(SCOPE, counts, strict=True)))
    mask = Masking(LIM, complements(fig, TPL, LIM))
    total = sum(svf_value(fig, TPL, s, "included") or 0 for s in SCOPE)
    shown = {s: _shown(fig, mask, s) for s in SCOPE}
    hidden = [s for s, v in shown.items() if v is None]
    smalls = [s for s in SCOPE if mask.small(svf_value(fig, TPL, s, "included"))]
    if mask.small(total) or ("total_inclusion_scope", "included") in mask.hidden:
        return  # the goal's total row hides its count: nothing to subtract from
    if len(hidden) == 1:
        # One hidden value is the total minus the rest: it must never be a small one.
        assert hidden[0] not in smalls
    rest = total - sum(v for v in shown.values() if v is not None)
    for s in smalls:  # what subtraction gives is never exactly a small count alone
        assert len(hidden) >= 2 or rest != svf_value(fig, TPL, s, "included")
