"""Keeping the customer informed: a progress update when they have heard nothing for a while.

ISO 10002 7.7: the complainant is kept informed. While a case is open and nothing the
customer can see has happened for the severity's ``update_every``, they are told its stage
and target date; never at night in the organisation's timezone, and not while the case waits
for them (they have the next move).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.clock import WAITING
from workflows.effects import Decision, RecordEvent, Reply, ScheduleTimer
from workflows.lifecycle import is_open
from workflows.timer_kinds import PROGRESS_UPDATE

# Messages wait for the morning: none between these local times.
QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)


def decide_progress(case: CaseView, now: datetime, rules: Rules, zone: tzinfo) -> Decision:
    """The progress timer fired: send an update if one is due, and set the next look."""
    if not is_open(case.status):
        return Decision(())
    every = rules.targets[case.severity].update_every
    told = case.last_told_at or case.opened_at
    if case.status in WAITING or now - told < every:
        later = now + every if case.status in WAITING else told + every
        return Decision((ScheduleTimer(case.reference, PROGRESS_UPDATE, later),))
    morning = _after_quiet_hours(now, zone)
    if morning != now:
        return Decision((ScheduleTimer(case.reference, PROGRESS_UPDATE, morning),))
    facts = {"reference": case.reference, "status": case.status.value, "due_at": case.due_at}
    return Decision(
        (
            RecordEvent(case.reference, "progress_update", {"status": case.status.value}),
            Reply("customer/progress_update", facts),
            ScheduleTimer(case.reference, PROGRESS_UPDATE, now + every),
        )
    )


def _after_quiet_hours(now: datetime, zone: tzinfo) -> datetime:
    """``now``, or the next morning's start when it is night where the organisation is."""
    local = now.astimezone(zone)
    moment = time(local.hour, local.minute, local.second)
    if QUIET_UNTIL <= moment < QUIET_FROM:
        return now
    day = local.date() if moment < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=zone)
