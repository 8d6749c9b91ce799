"""The lifecycle table: every (state × action) pair allowed or refused, exactly as the law says."""

from __future__ import annotations

import pytest

from motcua.core.errors import DomainError
from motcua.dossiers.models import DossierTransition
from motcua.dossiers.tests.factories import People, hours, in_status, perform
from motcua.dossiers.workflow import (
    NATIONAL_CODES,
    NATIONAL_STRINGS,
    TERMINAL,
    TRANSITIONS,
    Action,
    Actor,
    Status,
    transition_for,
)

# The expected table, written from lifecycle.md §3 independently of workflow.TRANSITIONS.
S = Status
EXPECTED: dict[Action, set[Status]] = {
    Action.ACCEPT_ONLINE: {S.SUBMITTED},
    Action.REQUEST_COMPLETION: {S.SUBMITTED},
    Action.RESUBMIT: {S.SUBMITTED},
    Action.REFUSE_INTAKE: {S.SUBMITTED},
    Action.TRANSFER: {S.RECEIVED},
    Action.ASSIGN: {S.IN_PROCESS},
    Action.FORWARD_STEP: {S.IN_PROCESS},
    Action.CONSULT: {S.RECEIVED, S.IN_PROCESS},
    Action.REQUEST_SUPPLEMENT: {S.IN_PROCESS},
    Action.RECEIVE_SUPPLEMENT: {S.AWAITING_SUPPLEMENT},
    Action.REQUEST_PAYMENT: {S.IN_PROCESS},
    Action.CONFIRM_PAYMENT: {S.AWAITING_PAYMENT},
    Action.EXTEND: {S.IN_PROCESS},
    Action.REFUSE_AFTER_APPRAISAL: {S.IN_PROCESS},
    Action.STOP: {S.IN_PROCESS, S.AWAITING_SUPPLEMENT, S.AWAITING_PAYMENT},
    Action.WITHDRAW: {
        S.SUBMITTED,
        S.RECEIVED,
        S.IN_PROCESS,
        S.AWAITING_SUPPLEMENT,
        S.AWAITING_PAYMENT,
    },
    Action.ISSUE_RESULT: {S.IN_PROCESS},
    Action.RETURN_RESULT: {S.RESOLVED},
    Action.HAND_TO_POST: {S.RESOLVED},
    Action.HAND_OVER: {
        S.SUBMITTED,
        S.RECEIVED,
        S.IN_PROCESS,
        S.AWAITING_SUPPLEMENT,
        S.AWAITING_PAYMENT,
        S.RESOLVED,
    },
    # T21: a consulted agency answers while the dossier is handled (also while it waits for the
    # applicant), not once the result is issued or the dossier ended.
    Action.ANSWER_CONSULTATION: {S.IN_PROCESS, S.AWAITING_SUPPLEMENT, S.AWAITING_PAYMENT},
    # T22: 2 / 4 → the other unit's 2 / 4 (lifecycle.md §3).
    Action.TRANSFER_TO_COMPETENT: {S.RECEIVED, S.IN_PROCESS},
}
#: Actions from a draft only (reception or online submission), outside ``STATES``.
FROM_DRAFT = {Action.SUBMIT: {S.DRAFT}, Action.RECEIVE: {S.DRAFT}}
STATES = [s for s in Status if s != Status.DRAFT]
# Actions whose precondition is more than the state (RESUBMIT needs a completion request first).
NEEDS_MORE = {Action.RESUBMIT}


def test_every_state_but_draft_has_one_national_code_and_string():
    assert sorted(NATIONAL_CODES.values()) == list(range(1, 11))
    assert set(NATIONAL_CODES) == set(STATES) == set(NATIONAL_STRINGS)
    assert NATIONAL_STRINGS[Status.SUBMITTED] == "receiving"  # counter-intuitive, as production
    assert NATIONAL_STRINGS[Status.RECEIVED] == "new"


def test_every_action_has_an_expectation():
    assert set(EXPECTED) | set(FROM_DRAFT) == set(Action)


def test_same_state_actions_keep_the_state():
    for action in (Action.ANSWER_CONSULTATION, Action.TRANSFER_TO_COMPETENT, Action.HAND_OVER):
        for status in EXPECTED[action]:
            rule = transition_for(status, action)
            assert rule is not None
            assert rule.target == status
            assert rule.clock == "none"


def test_only_consulted_agencies_answer_and_only_the_desk_sends_elsewhere():
    for status in EXPECTED[Action.ANSWER_CONSULTATION]:
        rule = transition_for(status, Action.ANSWER_CONSULTATION)
        assert rule is not None
        assert rule.actors == {Actor.CONSULTED}
    for status in EXPECTED[Action.TRANSFER_TO_COMPETENT]:
        rule = transition_for(status, Action.TRANSFER_TO_COMPETENT)
        assert rule is not None
        assert rule.actors == {Actor.ONE_STOP}


def test_the_table_matches_the_law_for_every_pair():
    for action, sources in (EXPECTED | FROM_DRAFT).items():
        for status in Status:
            allowed = transition_for(status, action) is not None
            assert allowed == (status in sources), (status, action)


def test_terminal_states_allow_nothing():
    for status in TERMINAL:
        assert not [t for t in TRANSITIONS if status in t.sources]


def test_every_transition_cites_its_basis():
    assert all(t.basis for t in TRANSITIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("status", STATES, ids=lambda s: s.value)
def test_each_action_is_performed_or_refused_by_the_services(demo, status):
    people = People.load()
    for action in EXPECTED:
        dossier = in_status(status, people)
        before = DossierTransition.objects.filter(dossier=dossier).count()
        allowed = status in EXPECTED[action] and action not in NEEDS_MORE
        if allowed:
            after = perform(action, dossier, people, hours(3))
            rule = transition_for(status, action)
            assert rule is not None
            assert after.status == rule.target, (status, action)
            assert after.transitions.count() == before + 1
        else:
            with pytest.raises(DomainError) as error:
                perform(action, dossier, people, hours(3))
            expected = (
                "nothing_requested"
                if action in NEEDS_MORE and status in EXPECTED[action]
                else "not_allowed"
            )
            assert error.value.code == expected, (status, action, error.value.code)
            assert DossierTransition.objects.filter(dossier=dossier).count() == before
