"""The cases tests' judge and case (a civil claim of the citizen, drawn to the judge)."""

from torelik.cases.tests.conftest import case, judge, new_case  # noqa: F401 (fixtures)
