"""A stand-in for the action server's address that tests can take down or slow down.

The Rasa server under test calls http://127.0.0.1:<proxy port>/webhook. The proxy forwards to the
real action server, or, on demand, waits before answering (a slow action server) or stops
listening altogether (a stopped action server: connection refused).
"""

from __future__ import annotations

import asyncio
import threading

import aiohttp
from aiohttp import web

LOOPBACK = "127.0.0.1"


class ActionProxy:
    def __init__(self, target_url: str, port: int) -> None:
        self.target_url = target_url.rstrip("/")
        self.port = port
        self.delay_s = 0.0
        self.calls = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> ActionProxy:
        self._thread.start()
        self._run(self._start())
        return self

    def stop(self) -> None:
        self._run(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def down(self) -> None:
        """Stop listening: the action server looks stopped (connection refused)."""
        self._run(self._site.stop())
        self._site = None

    def up(self) -> None:
        if self._site is None:
            self._run(self._listen())

    def _run(self, coroutine) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)

    async def _start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await self._listen()

    async def _listen(self) -> None:
        self._site = web.TCPSite(self._runner, LOOPBACK, self.port, reuse_address=True)
        await self._site.start()

    async def _stop(self) -> None:
        await self._runner.cleanup()
        await self._session.close()

    async def _forward(self, request: web.Request) -> web.Response:
        self.calls += 1
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        async with self._session.request(
            request.method,
            self.target_url + request.path_qs,
            data=await request.read(),
            headers={"Content-Type": request.headers.get("Content-Type", "application/json")},
        ) as reply:
            return web.Response(
                status=reply.status,
                body=await reply.read(),
                content_type=reply.content_type,
            )
