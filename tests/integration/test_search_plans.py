"""Search never scans: the statements the repository issues are index walks on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text

from numberdesk.adapters.db.engine import is_sqlite
from numberdesk.bootstrap import Container
from numberdesk.domain.inventory import NumberPattern, NumberType, SearchCriteria, SearchPattern


def captured_statements(container: Container, criteria: SearchCriteria) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def record(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        if "numbers" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(container.engine, "before_cursor_execute", record)
    try:
        with container.uows(readonly=True) as uow:
            uow.inventory.search(criteria)
    finally:
        event.remove(container.engine, "before_cursor_execute", record)
    return seen


def plan(container: Container, statement: str, parameters: Any) -> str:
    with container.engine.connect() as conn:
        if is_sqlite(container.engine):
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            return "\n".join(str(r[-1]) for r in rows)
        conn.execute(text("SET enable_seqscan = off"))  # tiny test tables: ask whether an index CAN answer
        rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
        return "\n".join(str(r[0]) for r in rows)


@pytest.mark.parametrize(
    "pattern",
    [
        None,
        NumberPattern("+614", SearchPattern.START),
        NumberPattern("2345", SearchPattern.CONTAINS),
        NumberPattern("5432", SearchPattern.END),
    ],
    ids=["none", "start", "contains", "end"],
)
def test_every_pattern_kind_is_an_index_walk(container: Container, pattern: NumberPattern | None) -> None:
    statements = captured_statements(container, SearchCriteria("AU", NumberType.MOBILE, pattern, (), 30))
    assert statements
    for statement, parameters in statements:
        text_plan = plan(container, statement, parameters)
        if is_sqlite(container.engine):
            assert "SCAN" not in text_plan, text_plan
            assert "USING" in text_plan and "INDEX" in text_plan, text_plan
        else:
            assert "Seq Scan" not in text_plan, text_plan
            assert "Index" in text_plan, text_plan
