"""Long staff commands (train, evaluate, publish, roll back) run one at a time in the background.

Each job is a list of steps, each step one of the existing staff commands run as a subprocess; the
console shows their output while they run. A step that fails stops the job.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence

MAX_LINES = 2000


@dataclass
class Step:
    title: str
    command: Sequence[str]


@dataclass
class Job:
    id: int
    title: str
    who: str
    steps: List[Step]
    started: float = field(default_factory=time.time)
    lines: List[str] = field(default_factory=list)
    step: int = 0
    returncode: int | None = None
    seconds: float = 0.0

    @property
    def running(self) -> bool:
        return self.returncode is None

    @property
    def passed(self) -> bool:
        return self.returncode == 0

    def add(self, line: str) -> None:
        self.lines.append(line.rstrip("\n").split("\r")[-1])
        del self.lines[:-MAX_LINES]

    def as_json(self) -> Dict:
        return {
            "id": self.id,
            "title": self.title,
            "running": self.running,
            "passed": self.passed,
            "step": self.step,
            "steps": [s.title for s in self.steps],
            "lines": self.lines[-200:],
            "seconds": round(self.seconds or time.time() - self.started),
        }


class Jobs:
    """At most one job at a time: two trainings at once would only slow both down."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.jobs: Dict[int, Job] = {}
        self._ids = itertools.count(1)

    def running(self) -> Job | None:
        return next((job for job in self.jobs.values() if job.running), None)

    def start(self, title: str, who: str, steps: List[Step], on_done=None) -> Job:
        if self.running():
            raise RuntimeError("another job is running")
        job = Job(next(self._ids), title, who, steps)
        self.jobs[job.id] = job
        asyncio.get_running_loop().create_task(self._run(job, on_done))
        return job

    async def _run(self, job: Job, on_done) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(self.root)}
        try:
            for number, step in enumerate(job.steps):
                job.step = number
                job.add(f"== {step.title}")
                process = await asyncio.create_subprocess_exec(
                    *step.command,
                    cwd=self.root,
                    env=env,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.STDOUT,
                )
                assert process.stdout is not None
                async for raw in process.stdout:
                    job.add(raw.decode("utf-8", "replace"))
                code = await process.wait()
                if code != 0:
                    job.returncode = code
                    job.add(f"== {step.title}: stopped (exit code {code}).")
                    break
            else:
                job.returncode = 0
        except Exception as error:  # noqa: BLE001 (the job page must always end)
            job.add(f"== The job could not run: {type(error).__name__}")
            job.returncode = 1
        job.seconds = time.time() - job.started
        if on_done is not None:
            on_done(job)
