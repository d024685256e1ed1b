"""serving/graph_runner.py runs Rasa's graphs with the results and errors dask gives."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from serving import graph_runner


class Add(GraphComponent):
    """Adds its inputs and its configured number; fails on a negative total."""

    def __init__(self, config: Dict[str, Any]) -> None:
        self.number = config.get("number", 0)

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> Add:
        return cls(config)

    def add(self, **inputs: int) -> int:
        total = self.number + sum(inputs.values())
        if total < 0:
            raise ValueError("negative")
        return total


def node(number: int, **needs: str) -> SchemaNode:
    return SchemaNode(
        needs=needs, uses=Add, constructor_name="create", fn="add", config={"number": number}
    )


# A diamond with a shared dependency, a side branch no target needs, and an input placeholder.
SCHEMA = GraphSchema(
    {
        "base": node(1, x="__input__"),
        "left": node(10, a="base"),
        "right": node(100, a="base"),
        "join": node(1000, a="left", b="right"),
        "unused": node(5, a="base"),
        "top": node(0, a="join", b="base"),
    }
)


def runner(tmp_path) -> DaskGraphRunner:
    storage = LocalModelStorage(tmp_path)
    return DaskGraphRunner(SCHEMA, storage, ExecutionContext(SCHEMA, "test"))


@pytest.fixture
def both(tmp_path):
    """Runs the same graph with Rasa's dask runner and with the planned runner."""

    def run(inputs, targets):
        graph_runner.install(on=False)
        try:
            theirs = runner(tmp_path / "dask").run(inputs, targets)
        except Exception as error:  # noqa: BLE001 - compared below
            theirs = error
        graph_runner.install(on=True)
        try:
            ours = runner(tmp_path / "planned").run(inputs, targets)
        except Exception as error:  # noqa: BLE001
            ours = error
        return ours, theirs

    yield run
    graph_runner.install(on=False)


def test_plan_puts_every_node_after_its_inputs_once():
    steps = graph_runner.plan(SCHEMA, ["top", "join"])
    names = [name for name, _ in steps]
    assert sorted(names) == ["base", "join", "left", "right", "top"]  # not "unused"
    for position, (_, needs) in enumerate(steps):
        for need in needs:
            if need in SCHEMA.nodes:
                assert names.index(need) < position


@pytest.mark.parametrize("targets", [["top"], ["join", "left"], ["base"]])
def test_results_are_dasks(both, targets):
    ours, theirs = both({"__input__": 2}, targets)
    assert ours == theirs
    assert set(ours) == set(targets)
    if "top" in targets:
        assert ours["top"] == 1000 + (10 + 3) + (100 + 3) + 3


def test_component_errors_are_raised_as_rasa_raises_them(both):
    ours, theirs = both({"__input__": -10_000}, ["top"])
    assert type(ours) is type(theirs) is GraphComponentException
    assert str(ours) == str(theirs)


def test_a_missing_input_is_the_same_error(both):
    ours, theirs = both({}, ["top"])
    assert type(ours) is type(theirs) is GraphRunError
    assert str(ours) == str(theirs)


def test_an_input_value_naming_a_node_is_refused(both):
    ours, theirs = both({"__input__": "base"}, ["top"])
    assert type(ours) is type(theirs) is GraphRunError


def test_an_input_replaces_the_node_of_that_name(both):
    ours, theirs = both({"__input__": 2, "join": 7}, ["top"])
    assert ours == theirs == {"top": 7 + 3}
