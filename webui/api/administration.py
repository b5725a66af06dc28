"""API: organisations and delegates after loading (the secretariat).

Each change is one event in the meeting's chain, with the reason given. A change carries the
``revision`` of the record the caller read (body field ``expected`` or header ``If-Match``):
someone else's change in between is a 409 that names the record.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, PathParameter, RequestBody

from consensus_kit import Delegate, DelegateId, Organisation, OrgId
from webui.api.admin_schemas import (
    CodeOut,
    DelegateIn,
    DelegateOut,
    DelegatePatch,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    ReasonIn,
    RolesIn,
    SubstituteIn,
    SubstituteOut,
)
from webui.api.openapi import errors
from webui.deps import MeDep, service_of
from webui.errors import ErrorBody
from webui.pages._common import act

__all__ = ["AdministrationApi"]

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]

_ERRORS = {
    401: "no valid token, or the delegate withdrew",
    403: "the token's delegate is not the secretariat",
    404: "no such organisation or delegate in this meeting",
    409: "the record changed since you read it (revision / If-Match), or it withdrew already",
    422: "a field is wrong (empty or duplicate name, unknown language or role, last chair…): "
    "the answer names it",
}


def _errors(*codes: int) -> dict[int, ResponseSpec]:
    """The shared error answers (with their example bodies), described for administration."""
    shared = errors(*codes, 503)  # the database may be away for a moment
    return {
        code: ResponseSpec(
            data_container=ErrorBody,
            description=_ERRORS.get(code, spec.description or ""),
            examples=spec.examples,
        )
        for code, spec in shared.items()
    }


CHANGE_ERRORS = _errors(400, 401, 403, 404, 409, 413, 422)
ADD_ERRORS = _errors(400, 401, 403, 404, 413, 422)

OrgPath = Annotated[
    str, PathParameter(description="the organisation's id, e.g. org-1", max_length=64)
]
DelegatePath = Annotated[
    str, PathParameter(description="the delegate's id, e.g. delegate-1", max_length=64)
]
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        description="the revision of the record you read (as the body's 'expected')",
    ),
]


def _expected(body: str | None, header: str | None) -> str | None:
    if body is not None:
        return body
    if header is None:
        return None
    return header.strip().removeprefix("W/").strip('"') or None


def _org(meeting: Any, org_id: str) -> Organisation:
    org: Organisation | None = meeting.organisation(OrgId(org_id))
    assert org is not None  # the act just stored it
    return org


def _person(meeting: Any, delegate_id: str) -> Delegate:
    person: Delegate | None = meeting.delegate(DelegateId(delegate_id))
    assert person is not None
    return person


class AdministrationApi(Controller):
    """``/organisations`` and ``/delegates``: add, rename, withdraw, roles, substitute, codes."""

    security = BEARER
    tags = ["administration"]  # noqa: RUF012

    # -- organisations ------------------------------------------------------------------------

    @get(
        "/organisations",
        sync_to_thread=True,
        summary="List the organisations",
        description="Every organisation of the meeting, withdrawn ones too (with when they "
        "left), each with the revision to send back with a change. Read from the database: "
        "a change made through any worker shows at once.",
        responses=_errors(400, 401, 422),
    )
    def organisations(self, request: Request[Any, Any, Any], me: MeDep) -> list[OrganisationOut]:
        """The organisations."""
        meeting = service_of(request.app.state).meeting(me.mid)
        return [OrganisationOut.of(o) for o in meeting.organisations]

    @post(
        "/organisations",
        sync_to_thread=True,
        status_code=201,
        summary="Add an organisation",
        description="Add a late delegation (the secretariat). Names per language must be "
        "languages of the meeting and differ from every other organisation's.",
        responses=ADD_ERRORS,
    )
    def add_organisation(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[OrganisationIn]
    ) -> OrganisationOut:
        """Add an organisation."""
        done = act(
            request,
            me,
            service_of(request.app.state).add_organisation,
            data.id,
            name=data.name,
            reason=data.reason,
            country=data.country,
            region=data.region,
            observer=data.observer,
            weight=data.weight,
            country_name=data.country_name,
        )
        return OrganisationOut.of(_org(done.meeting, data.id))

    @patch(
        "/organisations/{org_id:str}",
        sync_to_thread=True,
        summary="Rename an organisation",
        description="Change its display name and/or its country's official name in the "
        "languages given (the others stay; an empty country name falls back to CLDR's).",
        responses=CHANGE_ERRORS,
    )
    def rename_organisation(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        org_id: OrgPath,
        data: RequestBody[OrganisationPatch],
        if_match: IfMatch = None,
    ) -> OrganisationOut:
        """Rename an organisation."""
        done = act(
            request,
            me,
            service_of(request.app.state).rename_organisation,
            org_id,
            name=data.name,
            country_name=data.country_name,
            reason=data.reason,
            expected=_expected(data.expected, if_match),
        )
        return OrganisationOut.of(_org(done.meeting, org_id))

    @post(
        "/organisations/{org_id:str}/withdraw",
        sync_to_thread=True,
        status_code=200,
        summary="Withdraw an organisation",
        description="Record that it left: it and its delegates are withdrawn and their codes "
        "end. Its ballots and endorsements stay; it is not eligible in votes opened later.",
        responses=CHANGE_ERRORS,
    )
    def withdraw_organisation(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        org_id: OrgPath,
        data: RequestBody[ReasonIn],
        if_match: IfMatch = None,
    ) -> OrganisationOut:
        """Withdraw an organisation."""
        done = act(
            request,
            me,
            service_of(request.app.state).withdraw_organisation,
            org_id,
            reason=data.reason,
            expected=_expected(data.expected, if_match),
        )
        return OrganisationOut.of(_org(done.meeting, org_id))

    # -- delegates ----------------------------------------------------------------------------

    @get(
        "/delegates",
        sync_to_thread=True,
        summary="List the delegates",
        description="Every delegate (never a code), withdrawn ones too, each with the "
        "revision to send back with a change.",
        responses=_errors(400, 401, 422),
    )
    def delegates(self, request: Request[Any, Any, Any], me: MeDep) -> list[DelegateOut]:
        """The delegates."""
        meeting = service_of(request.app.state).meeting(me.mid)
        return [DelegateOut.of(d) for d in meeting.delegates]

    @post(
        "/delegates",
        sync_to_thread=True,
        status_code=201,
        summary="Add a delegate",
        description="Add a delegate with roles (delegate, signatory, chair, secretariat, "
        "observer); the answer carries their access code, shown once.",
        responses=ADD_ERRORS,
    )
    def add_delegate(
        self, request: Request[Any, Any, Any], me: MeDep, data: RequestBody[DelegateIn]
    ) -> CodeOut:
        """Add a delegate."""
        done = act(
            request,
            me,
            service_of(request.app.state).add_delegate,
            data.id,
            name=data.name,
            reason=data.reason,
            organisation=data.organisation,
            roles=data.roles,
            title=data.title,
        )
        assert done.code is not None
        return CodeOut(delegate=DelegateOut.of(_person(done.meeting, data.id)), code=done.code)

    @patch(
        "/delegates/{delegate_id:str}",
        sync_to_thread=True,
        summary="Rename a delegate",
        description="Change a delegate's name and/or title (printed under their signature).",
        responses=CHANGE_ERRORS,
    )
    def rename_delegate(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        delegate_id: DelegatePath,
        data: RequestBody[DelegatePatch],
        if_match: IfMatch = None,
    ) -> DelegateOut:
        """Rename a delegate."""
        done = act(
            request,
            me,
            service_of(request.app.state).rename_delegate,
            delegate_id,
            name=data.name,
            title=data.title,
            reason=data.reason,
            expected=_expected(data.expected, if_match),
        )
        return DelegateOut.of(_person(done.meeting, delegate_id))

    @post(
        "/delegates/{delegate_id:str}/withdraw",
        sync_to_thread=True,
        status_code=200,
        summary="Withdraw a delegate",
        description="Record that a delegate left: their code and logins end; what they did "
        "stays. The meeting's last chair cannot withdraw.",
        responses=CHANGE_ERRORS,
    )
    def withdraw_delegate(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        delegate_id: DelegatePath,
        data: RequestBody[ReasonIn],
        if_match: IfMatch = None,
    ) -> DelegateOut:
        """Withdraw a delegate."""
        done = act(
            request,
            me,
            service_of(request.app.state).withdraw_delegate,
            delegate_id,
            reason=data.reason,
            expected=_expected(data.expected, if_match),
        )
        return DelegateOut.of(_person(done.meeting, delegate_id))

    @put(
        "/delegates/{delegate_id:str}/roles",
        sync_to_thread=True,
        summary="Set a delegate's roles",
        description="The delegate holds exactly these roles from now on (delegate, "
        "signatory, chair, secretariat, observer). The meeting always keeps a chair.",
        responses=CHANGE_ERRORS,
    )
    def roles(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        delegate_id: DelegatePath,
        data: RequestBody[RolesIn],
        if_match: IfMatch = None,
    ) -> DelegateOut:
        """Set a delegate's roles."""
        done = act(
            request,
            me,
            service_of(request.app.state).change_roles,
            delegate_id,
            data.roles,
            reason=data.reason,
            expected=_expected(data.expected, if_match),
        )
        return DelegateOut.of(_person(done.meeting, delegate_id))

    @post(
        "/delegates/{delegate_id:str}/substitute",
        sync_to_thread=True,
        status_code=200,
        summary="Substitute a head of delegation",
        description="``by`` (a delegate of the same organisation, or a new one with ``name``) "
        "takes over the delegate's roles; the delegate withdraws. A new successor's code is in "
        "the answer, shown once.",
        responses=CHANGE_ERRORS,
    )
    def substitute(
        self,
        request: Request[Any, Any, Any],
        me: MeDep,
        delegate_id: DelegatePath,
        data: RequestBody[SubstituteIn],
        if_match: IfMatch = None,
    ) -> SubstituteOut:
        """Substitute a delegate."""
        done = act(
            request,
            me,
            service_of(request.app.state).substitute_delegate,
            delegate_id,
            by=data.by,
            name=data.name,
            title=data.title,
            reason=data.reason,
            expected=_expected(data.expected, if_match),
        )
        return SubstituteOut(
            left=DelegateOut.of(_person(done.meeting, delegate_id)),
            successor=DelegateOut.of(_person(done.meeting, data.by)),
            code=done.code,
        )

    @post(
        "/delegates/{delegate_id:str}/code",
        sync_to_thread=True,
        status_code=201,
        summary="Re-issue a delegate's access code",
        description="A new code for one delegate, shown once; the old code and every login "
        "made with it end now.",
        responses=_errors(400, 401, 403, 404, 409),
    )
    def reissue_code(
        self, request: Request[Any, Any, Any], me: MeDep, delegate_id: DelegatePath
    ) -> CodeOut:
        """Re-issue an access code."""
        service = service_of(request.app.state)
        code = act(request, me, service.reissue_code, delegate_id)
        return CodeOut(
            delegate=DelegateOut.of(_person(service.meeting(me.mid), delegate_id)), code=code
        )
