"""Runs Rasa's prediction graphs in a precomputed order instead of through dask.

Rasa 3.6 runs every message twice through a graph (NLU, then dialogue) with
`DaskGraphRunner.run`. Each run first rebuilds the minimal schema for its targets (a
recursion that revisits shared dependencies once per path) and then hands the graph to dask's
local scheduler. For the dozen nodes of this assistant that bookkeeping was ~9 % of the
server's Python time under load, more than some of the components themselves.

Here each target list is planned once: the nodes it needs, in an order where every node comes
after its inputs. A run then calls the nodes in that order with the same arguments dask gives
them: `(name, output)` pairs, a placeholder input as `(name, value)`, and the bare name for a
dependency nobody provided (GraphNode logs it). Errors are raised as Rasa raises them.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner

_rasa_run = DaskGraphRunner.run

Plan = List[Tuple[str, Tuple[str, ...]]]


def plan(schema: GraphSchema, targets: Sequence[str]) -> Plan:
    """The nodes `targets` need, each after the nodes it reads from."""
    ordered: Plan = []
    done: set = set()

    def visit(name: str, path: Tuple[str, ...]) -> None:
        if name in done or name not in schema.nodes:
            return
        if name in path:
            raise GraphRunError(f"The graph has a cycle through '{name}'.")
        needs = tuple(schema.nodes[name].needs.values())
        for dependency in needs:
            visit(dependency, path + (name,))
        done.add(name)
        ordered.append((name, needs))

    for target in targets:
        visit(target, ())
    return ordered


def _run(
    self: DaskGraphRunner,
    inputs: Dict[str, Any] | None = None,
    targets: List[str] | None = None,
) -> Dict[str, Any]:
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    plans = self.__dict__.setdefault("_plans", {})
    steps = plans.get(run_targets)
    if steps is None:
        steps = plans[run_targets] = plan(self._graph_schema, run_targets)

    outputs: Dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in self._graph_schema.nodes:
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure that none of "
                f"the input names passed to the `run` method are the same as node names "
                f"in the graph schema."
            )
        outputs[name] = (name, value)

    try:
        for name, needs in steps:
            if name in outputs:  # an input replaces the node of that name, as with dask
                continue
            node = self._instantiated_nodes[name]
            outputs[name] = node(*(outputs.get(need, need) for need in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(outputs[target] for target in run_targets)


def install(on: bool = True) -> None:
    """Runs graphs in planned order (`on`) or through dask as Rasa does. Idempotent."""
    DaskGraphRunner.run = _run if on else _rasa_run
