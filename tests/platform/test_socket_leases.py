"""Connection-cap leases (issue 12, finding 3): renewed by a heartbeat while the socket lives,
lapsing soon after its server process dies, in Redis (CI) and in process memory (embedded)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from accounts import sockets


@pytest.fixture
def short_leases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sockets, "LEASE_SECONDS", 1.0)
    monkeypatch.setattr(sockets, "HEARTBEAT_SECONDS", 0.25)
    monkeypatch.setattr(sockets, "TOUCH_EVERY_SECONDS", 0.0)


def slot(kind: str) -> sockets.ConnectionSlot:
    return sockets.ConnectionSlot(kind=kind, user_key="42", per_user=1, total=10)


async def test_a_live_socket_keeps_its_slot_past_the_lease(short_leases: None) -> None:
    kind = f"lease-{uuid.uuid4().hex[:8]}"
    held = slot(kind)
    await held.acquire()
    await asyncio.sleep(2.0)  # two leases long: only the heartbeat keeps it
    with pytest.raises(sockets.CapExceeded):
        await slot(kind).acquire()
    await held.release()
    fresh = slot(kind)
    await fresh.acquire()
    await fresh.release()


async def test_a_slot_whose_process_died_lapses_within_its_lease(short_leases: None) -> None:
    kind = f"lease-{uuid.uuid4().hex[:8]}"
    crashed = slot(kind)
    await crashed.acquire()
    # the process dies: no release, no more heartbeats
    assert crashed._heartbeat is not None
    crashed._heartbeat.cancel()
    with pytest.raises(sockets.CapExceeded):
        await slot(kind).acquire()
    await asyncio.sleep(1.3)
    after = slot(kind)
    await after.acquire()  # the user is not locked out for an hour
    await after.release()
