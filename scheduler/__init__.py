"""When: the fuzzy deadline grammar, working days, the reminder policy, dispatch and ticks.

Submodules are imported where they are used (`from scheduler.deadlines import
parse_deadline`), so that importing one does not load them all.
"""

__all__: list[str] = []
