"""Every change this project makes to Rasa's own code, declared as data, guarded, and switchable.

Rasa has no extension point for these (the featurizer and the tracker store that do have one are
subclasses named in config.yml and endpoints.yml). Each patch names the Rasa objects it replaces
("module:qualname") with the sha256 of each one's source as installed with the Rasa version it
was written for. `install()` checks both before replacing anything: if Rasa differs, that patch
is not installed, one log line says why, and Rasa's own code serves. `uninstall()` puts Rasa's
objects back exactly. Each patch has its switch in serving/switches.py ("0" leaves Rasa's code).

A patch's `factory` ("module:function") is called as `factory(setting, **context)` and returns
the replacement for each target: a descriptor (staticmethod, classmethod) where Rasa has one.
It may also return "setup" and "teardown" callables for state outside Rasa (log filters, pools).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import logging
import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Tuple

from serving import switches

logger = logging.getLogger(__name__)

RASA_VERSION = "3.6.21"


@dataclass(frozen=True)
class Patch:
    name: str
    switch: str
    factory: str
    targets: Tuple[Tuple[str, str], ...]  # ("module:qualname", sha256 of its source as installed)
    rasa_version: str = RASA_VERSION
    needs_model_server: bool = False


PATCHES: Tuple[Patch, ...] = (
    Patch(
        name="log_privacy",
        switch="LOG_PRIVACY",
        factory="serving.log_privacy:replacements",
        targets=(
            (
                "rasa.utils.log_utils:configure_structlog",
                "80c9dcfa47c776b56ce43da8d03bc56f6bf7b0116d0167617f33996f17e7b6cc",
            ),
            (
                "rasa.__main__:configure_structlog",
                "80c9dcfa47c776b56ce43da8d03bc56f6bf7b0116d0167617f33996f17e7b6cc",
            ),
        ),
    ),
    Patch(
        name="http_surface",
        switch="HTTP_SURFACE",
        factory="serving.http_surface:replacements",
        targets=(
            (
                "rasa.server:add_root_route",
                "acc5f7c278af32f8409cc50874afe80b4d603aa567f9d300b6ffe38a37148001",
            ),
            (
                "rasa.server:create_app",
                "3f241a21aeb8f7272dd199de023af1233384eaa61eb11759cb4800b2a0fa52a2",
            ),
            (
                "rasa.server:Initialize",
                "aa5a3384ee4aeec4edd7b22167e5d6a8840d03ab26419dbf1d8e7d7b15d2e423",
            ),
        ),
    ),
    Patch(
        name="action_fallback",
        switch="ACTION_FALLBACK",
        factory="serving.action_fallback:replacements",
        targets=(
            (
                "rasa.core.actions.action:RemoteAction.run",
                "ccabf6f1160d527a157fad5bd285ce69e8221b1bcad23f8a61499b4360a1c17e",
            ),
        ),
    ),
    Patch(
        name="action_timeout",
        switch="ACTION_TIMEOUT_S",
        factory="serving.action_fallback:timeouts",
        targets=(
            (
                "rasa.core.actions.action:DEFAULT_REQUEST_TIMEOUT",
                "983bd614bb5afece5ab3b6023f71147cd7b6bc2314f9d27af7422541c6558389",
            ),
            (
                "rasa.utils.endpoints:DEFAULT_REQUEST_TIMEOUT",
                "983bd614bb5afece5ab3b6023f71147cd7b6bc2314f9d27af7422541c6558389",
            ),
        ),
    ),
    Patch(
        name="check_model_on_load",
        switch="CHECK_MODEL_ON_LOAD",
        factory="serving.warm_up:replacements",
        targets=(
            (
                "rasa.core.run:load_agent_on_start",
                "b23e12447febeb64dfe0e78f545c37affae1059858280485b1094707a2704214",
            ),
        ),
    ),
    Patch(
        name="background_model_load",
        switch="BACKGROUND_MODEL_LOAD",
        factory="serving.model_swap:replacements",
        targets=(
            (
                "rasa.core.agent:_update_model_from_server",
                "677a9cee565c4c588bbf325f85936bf0ddef53b63cf899abd31a7d1c8c92e888",
            ),
        ),
        needs_model_server=True,
    ),
    Patch(
        name="lean_model_load",
        switch="LEAN_MODEL_LOAD",
        factory="serving.lean_load:replacements",
        targets=(
            (
                "rasa.utils.tensorflow.models:RasaModel.load",
                "84fd81c0fdd01a8048de2d9b5b3022bdbf1e155f7b4d67737eb51ecb0787d292",
            ),
        ),
    ),
    Patch(
        name="fast_features",
        switch="FAST_FEATURES",
        factory="serving.fast_features:replacements",
        targets=(
            (
                "rasa.shared.nlu.training_data.features:Features._combine_sparse_features",
                "9837d864e5983243704cf14616ef9abe181c6f141cc0f9b324c4310629cc133d",
            ),
            (
                "rasa.shared.nlu.training_data.message:Message._combine_features",
                "6f88fa43154948bd3f5285324dcba76bf4f80a4a8632a02dff16cd0b0f9631fa",
            ),
        ),
    ),
    Patch(
        name="direct_predict",
        switch="DIRECT_PREDICT",
        factory="serving.direct_predict:replacements",
        targets=(
            (
                "rasa.utils.tensorflow.models:RasaModel._rasa_predict",
                "7f745b0f9cb647c9df9e5b04b318a7b93709daf9460bad4373970c6cf9f04d8f",
            ),
            (
                "rasa.utils.tensorflow.models:RasaModel.run_inference",
                "e628d03665d82d9df14e102b7b1757fc015b4caaec4fabcb6ee4b83125e296ac",
            ),
        ),
    ),
    Patch(
        name="planned_graph",
        switch="PLANNED_GRAPH",
        factory="serving.graph_runner:replacements",
        targets=(
            (
                "rasa.engine.runner.dask:DaskGraphRunner.run",
                "45f0f52f574f3aa9546a552bf671183e171092c18b66e97f5771a7fa295de37e",
            ),
        ),
    ),
    Patch(
        name="remember_lookups",
        switch="REMEMBER_LOOKUPS",
        factory="serving.lookups:replacements",
        targets=(
            (
                "rasa.shared.core.events:Event.resolve_by_type",
                "b5cf570fa7f286c7059ec73d8880528d03a78b28cf4e80285a46079c0fa65968",
            ),
            (
                "rasa.shared.core.domain:Domain.is_empty",
                "884be90ef485f1d2c0f140657a47f106a7d2785b63b03e46cd699b4072e95369",
            ),
        ),
    ),
    Patch(
        name="action_reply_check",
        switch="CHECK_REPLY_FORMAT_ONCE",
        factory="serving.action_reply_check:replacements",
        targets=(
            (
                "rasa.core.actions.action:RemoteAction._validate_action_result",
                "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42",
            ),
        ),
    ),
    Patch(
        name="nlu_threads",
        switch="NLU_THREADS",
        factory="serving.nlu_threads:replacements",
        targets=(
            (
                "rasa.core.processor:MessageProcessor.parse_message",
                "b98d8e49b9f2c433040af62752212dc374600d50cd21deec82386642b64d30dc",
            ),
        ),
    ),
)

_installed: Dict[str, List[Tuple[Any, str, Any]]] = {}
_teardowns: Dict[str, Callable[[], None]] = {}
_MISSING = object()


def resolve(target: str) -> Tuple[Any, str]:
    """The object holding `target` and the attribute name: ("rasa.x:A.b") -> (A, "b")."""
    module_name, qualname = target.split(":")
    owner: Any = importlib.import_module(module_name)
    *path, attribute = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    return owner, attribute


def current(target: str) -> Any:
    owner, attribute = resolve(target)
    return getattr(owner, attribute)


def fingerprint(value: Any) -> str:
    """sha256 of a function's or class's source; of the repr of a plain value."""
    function = getattr(value, "__func__", value)
    if inspect.isfunction(function) or inspect.isclass(function) or inspect.ismethod(function):
        text = inspect.getsource(function)
    else:
        text = repr(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def guard_problem(patch: Patch) -> str | None:
    """Why `patch` must not be installed on the Rasa found here, or None if it fits."""
    import rasa

    if rasa.__version__ != patch.rasa_version:
        return f"written for Rasa {patch.rasa_version}, found {rasa.__version__}"
    for target, expected in patch.targets:
        try:
            found = fingerprint(current(target))
        except (ImportError, AttributeError, OSError, TypeError) as error:
            return f"{target} not found ({type(error).__name__})"
        if found != expected:
            return f"{target} is not the code it was written for"
    return None


def setting(patch: Patch) -> str:
    return switches.value(patch.switch)


def install_patch(patch: Patch, **context: Any) -> bool:
    """Installs one patch if its switch is on and its guard passes; True if installed."""
    if patch.name in _installed:
        return True
    value = setting(patch)
    if value == "0" or (patch.needs_model_server and not context.get("model_server")):
        return False
    problem = guard_problem(patch)
    if problem:
        logger.warning("Not installing %s (%s): Rasa's own code serves.", patch.name, problem)
        return False
    module_name, function_name = patch.factory.split(":")
    factory = getattr(importlib.import_module(module_name), function_name)
    made = dict(factory(value, **context))
    setup = made.pop("setup", None)
    teardown = made.pop("teardown", None)
    saved = []
    for target, _ in patch.targets:
        owner, attribute = resolve(target)
        saved.append((owner, attribute, vars(owner).get(attribute, _MISSING)))
        setattr(owner, attribute, made[target])
    _installed[patch.name] = saved
    if teardown is not None:
        _teardowns[patch.name] = teardown
    if setup is not None:
        setup()
    return True


def uninstall_patch(name: str) -> None:
    """Puts back the Rasa objects one patch replaced (nothing if it is not installed)."""
    for owner, attribute, original in reversed(_installed.pop(name, [])):
        if original is _MISSING:
            delattr(owner, attribute)
        else:
            setattr(owner, attribute, original)
    teardown = _teardowns.pop(name, None)
    if teardown is not None:
        teardown()


def by_name(name: str) -> Patch:
    return next(patch for patch in PATCHES if patch.name == name)


def install(model_server: bool = False, require_model: bool = False) -> List[str]:
    """Installs every patch whose switch is on and whose guard passes, before Rasa starts.

    `model_server`: Rasa pulls models from the model server (a published model then loads in a
    worker thread); `require_model`: the server refuses to start without a model.
    """
    for name, value in switches.ENVIRONMENT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    context = {"model_server": model_server, "require_model": require_model}
    return [patch.name for patch in PATCHES if install_patch(patch, **context)]


def uninstall() -> None:
    for name in reversed(list(_installed)):
        uninstall_patch(name)


def installed() -> List[str]:
    return list(_installed)


class applied:
    """`with applied("name", ...)`: the patches installed inside the block only (tests)."""

    def __init__(self, *names: str, **context: Any) -> None:
        self.names, self.context = names, context

    def __enter__(self) -> None:
        for name in self.names:
            if not install_patch(by_name(name), **self.context):
                raise RuntimeError(f"{name} was not installed")

    def __exit__(self, *_: Any) -> None:
        for name in reversed(self.names):
            uninstall_patch(name)


def iter_targets() -> Iterator[Tuple[Patch, str]]:
    for patch in PATCHES:
        for target, _ in patch.targets:
            yield patch, target
