"""HTTP API of the participants: the same access functions and actions as the pages.

Another site's participant answers 404; a role without the permission, 403; bad input, 422 with
the errors keyed by the field that caused them (translated, like the pages).
"""

import datetime
import functools
from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from sclerocell.web.accounts.api_auth import TokenAuth
from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Permission

from . import access, actions
from .models import Consent, Participant
from .stages import Stage

router = Router(auth=TokenAuth(), tags=["participants"])

CODE_EXAMPLE = "01-R007-4"
Code = Annotated[
    str,
    Path(
        description="Study code: site, R or D with sequence, check digit.", examples=[CODE_EXAMPLE]
    ),
]


# --- Schemas -----------------------------------------------------------------------------------


class ParticipantOut(Schema):
    code: str = Field(..., examples=[CODE_EXAMPLE], description="Study code (site-kind+seq-check).")
    kind: Literal["recipient", "donor"] = Field(..., examples=["recipient"])
    site: int = Field(..., examples=[1], description="Site number.")
    sex: Literal["F", "M"] = Field(..., examples=["F"])
    birth_year: int = Field(..., examples=[1968])
    birth_month: int = Field(..., examples=[4], ge=1, le=12)
    stage: str = Field(..., examples=["follow_up"], description="Current stage (see `stages`).")
    screening_date: datetime.date = Field(..., examples=["2014-05-12"])
    eligibility: str = Field(..., examples=["eligible"], description="'' when not decided.")
    eligibility_date: datetime.date | None = Field(None, examples=["2014-06-02"])
    inclusion_date: datetime.date | None = Field(None, examples=["2014-06-16"])
    infusion_date: datetime.date | None = Field(None, examples=["2014-07-01"])
    end_date: datetime.date | None = Field(None, examples=[None])
    end_cause: str = Field("", examples=[""])
    end_reason: str = Field("", examples=[""], description="Why the participation ended.")
    recipient: str | None = Field(None, examples=[None], description="Donors: the recipient.")
    relationship: str = Field("", examples=[""], description="Donors: tie to the recipient.")
    version: int = Field(..., examples=[3], description="Row version, for `expected_version`.")

    @staticmethod
    def resolve_site(obj: Participant) -> int:
        return obj.site.number

    @staticmethod
    def resolve_recipient(obj: Participant) -> str | None:
        return obj.recipient.code if obj.recipient is not None else None


class ParticipantDetailOut(ParticipantOut):
    donors: list[str] = Field(default_factory=list, examples=[["01-D007-9"]])

    @staticmethod
    def resolve_donors(obj: Participant) -> list[str]:
        return list(getattr(obj, "donor_codes", []))


class ParticipantFilter(Schema):
    kind: Literal["recipient", "donor"] | None = Field(None, examples=["recipient"])
    stage: Stage | None = Field(None, examples=["follow_up"])
    code: str | None = Field(None, description="Part of a study code.", examples=["R00"])


class ConsentOut(Schema):
    id: int = Field(..., examples=[12])
    form_version: str = Field(..., examples=["v1.0 of 10/02/2014"])
    signed_date: datetime.date = Field(..., examples=["2014-05-12"])
    withdrawn_date: datetime.date | None = Field(None, examples=[None])
    version: int = Field(..., examples=[1])


class PersonIn(Schema):
    birth_year: int = Field(..., examples=[1968], description="Year of birth only.")
    birth_month: int = Field(..., examples=[4], description="Month of birth (1–12) only.")
    sex: Literal["F", "M"] = Field(..., examples=["F"])
    screening_date: datetime.date = Field(..., examples=["2014-05-12"])


class RecipientIn(PersonIn):
    site: int = Field(..., examples=[1], description="Number of one of the caller's sites.")


class DonorIn(PersonIn):
    relationship: Literal["sibling", "parent", "child", "cousin", "other_family", "spouse"] = Field(
        ..., examples=["sibling"]
    )
    selection_note: str = Field(
        "", examples=[""], description="Why this donor, when not in priority order. No identity."
    )


class ConsentIn(Schema):
    form_version: str = Field(..., examples=["v1.0 of 10/02/2014"])
    signed_date: datetime.date = Field(..., examples=["2014-05-12"])


class WithdrawalIn(Schema):
    date: datetime.date = Field(..., examples=["2015-01-20"])
    reason: str = Field(..., examples=["Withdrawal of consent reported at the M6 visit"])
    expected_version: int | None = Field(None, examples=[1])


class ErrorOut(Schema):
    detail: str = Field(..., examples=["Invalid input."])
    errors: dict[str, list[str]] = Field(
        default_factory=dict, examples=[{"screening_date": ["This date is in the future."]}]
    )


# --- Errors ------------------------------------------------------------------------------------


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {"__all__": list(error.messages)}
    return {
        ("__all__" if key == NON_FIELD_ERRORS else key): list(messages)
        for key, messages in error.message_dict.items()
    }


def answers_like_the_pages[**A, R](handler: Callable[A, R]) -> Callable[A, R | Any]:
    """PermissionDenied → 403; ValidationError → 422 with the errors keyed by field."""

    @functools.wraps(handler)
    def wrapper(*args: A.args, **kwargs: A.kwargs) -> R | Any:
        try:
            return handler(*args, **kwargs)
        except PermissionDenied:
            raise HttpError(403, _("Your role does not allow this.")) from None
        except ValidationError as error:
            return Status(422, ErrorOut(detail=_("Invalid input."), errors=_field_errors(error)))

    return wrapper


def api_user(request: HttpRequest) -> User:
    """The token's owner (TokenAuth authenticated every operation of this router)."""
    user = request.user
    if not isinstance(user, User):
        raise HttpError(401, _("Unauthorized"))
    return user


# --- Operations --------------------------------------------------------------------------------

READ = {403: ErrorOut, 404: ErrorOut}
WRITE = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _detail(user: Any, participant: Participant) -> Participant:
    """The participant as the caller sees it (with its stage) and the codes of its donors."""
    fresh = access.get_participant_for(user, participant.pk)
    donors = access.participants_for(user).filter(recipient=fresh).order_by("sequence")
    fresh.donor_codes = [donor.code for donor in donors]  # type: ignore[attr-defined]
    return fresh


@router.get(
    "/participants",
    response=list[ParticipantOut],
    summary="List the participants of the caller's sites",
    operation_id="list_participants",
)
@paginate(LimitOffsetPagination)
@answers_like_the_pages
def list_participants(
    request: HttpRequest, filters: Query[ParticipantFilter]
) -> QuerySet[Participant]:
    queryset = access.participants_for(request.user).select_related("recipient")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.stage:
        queryset = queryset.filter(stage=filters.stage)
    if filters.code:
        queryset = queryset.filter(code__contains=filters.code.strip().upper())
    return queryset.order_by("site__number", "-kind", "sequence")


@router.get(
    "/participants/{code}",
    response={200: ParticipantDetailOut, **READ},
    summary="One participant, by study code",
    operation_id="get_participant",
)
@answers_like_the_pages
def get_participant(request: HttpRequest, code: Code) -> Participant:
    return _detail(request.user, access.get_participant_for(request.user, code))


@router.get(
    "/participants/{code}/consents",
    response={200: list[ConsentOut], **READ},
    summary="The consents of one participant",
    operation_id="list_consents",
)
@answers_like_the_pages
def list_consents(request: HttpRequest, code: Code) -> list[Consent]:
    participant = access.get_participant_for(request.user, code)
    return list(participant.consents.all())


@router.post(
    "/recipients",
    response={201: ParticipantDetailOut, **WRITE},
    summary="Register a recipient at screening (issues the study code)",
    operation_id="register_recipient",
)
@answers_like_the_pages
def register_recipient(request: HttpRequest, payload: RecipientIn) -> Status[Any]:
    data = payload.model_dump()
    site = access.get_site_for(request.user, data.pop("site"), Permission.REGISTER_SUBJECT)
    participant = actions.register_recipient(site, by=api_user(request), **data)
    return Status(201, _detail(request.user, participant))


@router.post(
    "/participants/{code}/donors",
    response={201: ParticipantDetailOut, **WRITE},
    summary="Register an MSC donor for a recipient (issues the study code)",
    operation_id="register_donor",
)
@answers_like_the_pages
def register_donor(request: HttpRequest, code: Code, payload: DonorIn) -> Status[Any]:
    recipient = access.get_participant_for(request.user, code, Permission.REGISTER_SUBJECT)
    donor = actions.register_donor(recipient, by=api_user(request), **payload.model_dump())
    return Status(201, _detail(request.user, donor))


@router.post(
    "/participants/{code}/consents",
    response={201: ConsentOut, **WRITE},
    summary="Record a signed consent form",
    operation_id="record_consent",
)
@answers_like_the_pages
def record_consent(request: HttpRequest, code: Code, payload: ConsentIn) -> Status[Any]:
    participant = access.get_participant_for(request.user, code, Permission.RECORD_CONSENT)
    consent = actions.record_consent(participant, by=api_user(request), **payload.model_dump())
    return Status(201, consent)


@router.post(
    "/participants/{code}/consents/{consent_id}/withdraw",
    response={200: ConsentOut, **WRITE},
    summary="Record the withdrawal of a consent (a reason is required)",
    operation_id="withdraw_consent",
)
@answers_like_the_pages
def withdraw_consent(
    request: HttpRequest, code: Code, consent_id: int, payload: WithdrawalIn
) -> Consent:
    participant = access.get_participant_for(request.user, code, Permission.RECORD_CONSENT)
    consent = access.get_consent_for(
        request.user, participant, consent_id, Permission.RECORD_CONSENT
    )
    return actions.withdraw_consent(consent, by=api_user(request), **payload.model_dump())
