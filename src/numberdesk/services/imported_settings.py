"""Operator settings of a project on the Imported Numbers API: the importNumbers limit (5 unless
authorised for more), the approved blanket LOA, the project's NNID."""

from __future__ import annotations

from dataclasses import replace

from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.domain.hosting_orders import MAX_TEXT_ENABLE_NUMBERS
from numberdesk.services.ports import UnitOfWorkFactory
from numberdesk.services.ports_imported import ImportedProjectSettings


def get_settings(project_id: str, uows: UnitOfWorkFactory) -> ImportedProjectSettings:
    with uows(readonly=True) as uow:
        return uow.imported.settings.get(project_id)


def update_settings(
    project_id: str,
    uows: UnitOfWorkFactory,
    *,
    import_number_limit: int | None = None,
    blanket_loa_approved: bool | None = None,
    nnid: str | None = None,
) -> ImportedProjectSettings:
    if import_number_limit is not None and not 1 <= import_number_limit <= MAX_TEXT_ENABLE_NUMBERS:
        raise InvalidArgument(
            "importNumberLimit must be between 1 and 500",
            [FieldViolation("importNumberLimit", "between 1 and 500")],
        )
    with uows() as uow:
        if uow.projects.get(project_id) is None:
            raise InvalidArgument("no such project", [FieldViolation("projectId", "unknown project")])
        current = uow.imported.settings.get(project_id)
        new = replace(
            current,
            import_number_limit=current.import_number_limit
            if import_number_limit is None
            else import_number_limit,
            blanket_loa_approved=current.blanket_loa_approved
            if blanket_loa_approved is None
            else blanket_loa_approved,
            nnid=current.nnid if nnid is None else nnid.strip(),
        )
        uow.imported.settings.put(new)
        uow.commit()
    return new
