"""The kinds of timer a case can have (a leaf module: the deciders import it, not each other)."""

from __future__ import annotations

# Response-time targets: a reminder to staff before the target, an alert when it is missed.
SLA_WARNING = "sla_warning"
SLA_BREACH = "sla_breach"
# A response awaits the customer's decision: one reminder, then resolved as "no reply".
DECISION_REMINDER = "decision_reminder"
DECISION_LAPSE = "decision_lapse"
# A resolved case closes after a quiet period.
AUTO_CLOSE = "auto_close"

# The customer has heard nothing for a while: a progress update.
PROGRESS_UPDATE = "progress_update"

SLA_KINDS = frozenset({SLA_WARNING, SLA_BREACH})
AFTERCARE_KINDS = frozenset({DECISION_REMINDER, DECISION_LAPSE, AUTO_CLOSE})
