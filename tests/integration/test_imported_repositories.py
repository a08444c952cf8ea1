"""The imported-numbers repositories settle races with their version column."""

from __future__ import annotations

from numberdesk.bootstrap import Container
from numberdesk.domain.imported_numbers import ImportedNumber


def test_second_writer_of_a_stale_copy_loses(container: Container) -> None:
    now = container.clock.now()
    number = ImportedNumber.hosted(
        project_id="p", phone_number="+12025550134", region_code="US", service_plan_id="plan", now=now
    )
    with container.uows() as uow:
        uow.imported.numbers.add(number)
        uow.commit()
    with container.uows() as first:
        mine = first.imported.numbers.get("+12025550134")
        assert mine is not None
        with container.uows(readonly=True) as reader:
            stale = reader.imported.numbers.get("+12025550134")
        mine.display_name = "first"
        assert first.imported.numbers.save(mine)
        first.commit()
    with container.uows() as second:
        assert stale is not None
        second.imported.numbers.get("+12025550134")
        second.imported.numbers._versions["+12025550134"] -= 1  # the version `stale` was read at
        stale.display_name = "second"
        assert not second.imported.numbers.save(stale)
