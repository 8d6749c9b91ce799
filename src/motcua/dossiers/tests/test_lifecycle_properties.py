"""Random sequences of actions (hypothesis stateful testing) keep the lifecycle's invariants:
history and status agree, versions count transitions, terminal states stay terminal, the
appointment never precedes the reception, and refused actions change nothing."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.tests.factories import People, dossier_input, ensure_procedure, hours, perform
from motcua.dossiers.workflow import TERMINAL, Action, Status

ACTIONS = [a for a in Action if a not in {Action.SUBMIT, Action.RECEIVE}]


class Lifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.people = People.load()
        self.now = hours(0)
        self.ids: list[int] = []

    def tick(self, minutes: int) -> dt.datetime:
        self.now += dt.timedelta(minutes=minutes)
        return self.now

    @rule(minutes=st.integers(1, 600))
    def receive_at_the_desk(self, minutes: int) -> None:
        d = services.receive_dossier(
            dossier_input(self.people), self.people.officer, at=self.tick(minutes)
        )
        self.ids.append(d.pk)

    @rule(minutes=st.integers(1, 600))
    def submit_online(self, minutes: int) -> None:
        d = services.submit_online(
            dossier_input(self.people, Channel.PORTAL), self.people.citizen, at=self.tick(minutes)
        )
        self.ids.append(d.pk)

    @rule(data=st.data(), action=st.sampled_from(ACTIONS), minutes=st.integers(1, 900))
    def act(self, data: st.DataObject, action: Action, minutes: int) -> None:
        if not self.ids:
            return
        dossier = Dossier.objects.get(pk=data.draw(st.sampled_from(self.ids)))
        before = (dossier.status, dossier.version, dossier.transitions.count())
        try:
            perform(action, dossier, self.people, self.tick(minutes))
        except DomainError:
            dossier.refresh_from_db()
            assert (dossier.status, dossier.version, dossier.transitions.count()) == before

    @invariant()
    def history_and_status_agree(self) -> None:
        for dossier in Dossier.objects.filter(pk__in=self.ids):
            history = list(dossier.transitions.order_by("seq"))
            assert [t.seq for t in history] == list(range(1, len(history) + 1))
            assert dossier.version == len(history)
            assert history[-1].to_status == dossier.status
            for earlier, later in itertools.pairwise(history):
                assert later.from_status == earlier.to_status
                assert Status(earlier.to_status) not in TERMINAL  # terminal stays terminal
                assert later.at >= earlier.at
            if dossier.received_at and dossier.due_legal:
                assert dossier.due_legal >= dossier.received_at
                assert dossier.due_original is not None
            if dossier.code is not None:
                assert dossier.received_at is not None


@pytest.mark.django_db
def test_random_action_sequences_keep_the_invariants(demo):
    ensure_procedure()
    run_state_machine_as_test(
        Lifecycle,
        settings=settings(
            max_examples=12,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
