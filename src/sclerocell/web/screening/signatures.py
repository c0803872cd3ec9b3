"""Whether an eligibility signature still holds, and invalidating it when its facts change.

A signature freezes the SHA-256 of the canonical facts it was made on (as of its index date).
Every page that shows it recomputes that hash from the current data (``state_of``); every action
that changes data the screening reads calls ``recheck`` in its own transaction, which marks a
signature whose facts changed as invalid and sends an undecided participant back to "not
decided" (``trial.actions.withdraw_eligibility``) — both audited, with the action that caused it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from sclerocell.facts.schema import Fact
from sclerocell.facts.screening_input import InputError
from sclerocell.web.accounts.models import User
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.audit.presentation import EventRow, present
from sclerocell.web.trial.models import Participant

from .inputs import canonical_facts, digest, facts_for
from .models import EligibilitySignature

SIGNATURE_TABLE = EligibilitySignature._meta.db_table


def latest_signature(participant: Participant) -> EligibilitySignature | None:
    return (
        EligibilitySignature.objects.filter(participant=participant)
        .select_related("signed_by", "invalidated_by")
        .order_by("-signed_at", "-pk")
        .first()
    )


def current_digest(participant: Participant, signature: EligibilitySignature) -> str:
    """The hash of the participant's facts now, as of the signature's index date."""
    fresh = Participant.objects.get(pk=participant.pk)  # no cached relation may hide a change
    try:
        return digest(canonical_facts(facts_for(fresh, signature.index_date)))
    except InputError:
        return ""


@dataclass
class SignatureState:
    signature: EligibilitySignature
    facts_unchanged: bool
    changes: list[EventRow] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.facts_unchanged and self.signature.invalidated_at is None


def state_of(
    participant: Participant,
    signature: EligibilitySignature | None = None,
    *,
    known: tuple[datetime.date, tuple[Fact, ...]] | None = None,
) -> SignatureState | None:
    """The latest (or given) signature, whether it holds, and what changed since it was made.

    ``known``: facts just read for an index date (a page's evaluation), reused when the
    signature's index date is that one.
    """
    signature = signature or latest_signature(participant)
    if signature is None:
        return None
    if known is not None and known[0] == signature.index_date and known[1]:
        current = digest(canonical_facts(known[1]))
    else:
        current = current_digest(participant, signature)
    unchanged = current == signature.facts_sha256
    state = SignatureState(signature, unchanged)
    if not state.valid:
        state.changes = changes_since(participant, signature)
    return state


def changes_since(participant: Participant, signature: EligibilitySignature) -> list[EventRow]:
    """Who changed what in the participant's records after the signature (audit trail)."""
    signed = AuditEvent.objects.for_row(signature).first()
    events = AuditEvent.objects.for_participant(participant)
    if signed is not None:
        events = events.filter(seq__gt=signed.seq)
    else:
        events = events.filter(occurred_at__gt=signature.signed_at)
    return [present(event) for event in events.exclude(table_name=SIGNATURE_TABLE)]


def recheck(participant: Participant, *, by: User, action: str) -> EligibilitySignature | None:
    """Invalidate the participant's signature if its facts changed; returns it when invalidated.

    Call inside the transaction of the action that changed the data. A donor's change can change
    their recipient's facts (R-I4), so the recipient is checked too.
    """
    invalidated = _recheck_one(participant.pk, by=by, action=action)
    if participant.is_donor and participant.recipient_id is not None:
        _recheck_one(participant.recipient_id, by=by, action=action)
    return invalidated


def _recheck_one(participant_pk: int, *, by: User, action: str) -> EligibilitySignature | None:
    latest = (
        EligibilitySignature.objects.filter(participant_id=participant_pk)
        .order_by("-signed_at", "-pk")
        .values_list("pk", "invalidated_at")
        .first()
    )
    if latest is None or latest[1] is not None:
        return None  # nothing signed, or already invalid: one light query per write
    signature = EligibilitySignature.objects.get(pk=latest[0])
    participant = Participant.objects.get(pk=participant_pk)
    if current_digest(participant, signature) == signature.facts_sha256:
        return None
    from sclerocell.web.trial import actions as trial_actions

    reason = _(
        "The screening data changed after the eligibility signature of %(date)s (%(action)s)."
    ) % {"date": signature.decision_date.isoformat(), "action": action}
    with audit_scope(by=by, reason=reason, action="invalidate_eligibility_signature"):
        signature.invalidated_at = timezone.now()
        signature.invalidated_by = by
        signature.invalidated_because = action[:100]
        signature.save(update_fields=["invalidated_at", "invalidated_by", "invalidated_because"])
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.eligibility and locked.inclusion_date is None and locked.end_date is None:
            trial_actions.withdraw_eligibility(locked, by=by, reason=reason)
    return signature
