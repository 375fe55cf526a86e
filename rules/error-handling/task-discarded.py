import asyncio
import logging

from fastapi import FastAPI

app = FastAPI()
log = logging.getLogger(__name__)
background: set[asyncio.Task[None]] = set()


async def send_receipt(order_id: str) -> None: ...


@app.post("/orders/{order_id}/pay")
async def pay(order_id: str) -> dict[str, str]:
    # ruleid: task-discarded
    asyncio.create_task(send_receipt(order_id))
    return {"status": "paid"}


@app.post("/orders/{order_id}/ship")
async def ship(order_id: str) -> dict[str, str]:
    # ruleid: task-discarded
    asyncio.ensure_future(send_receipt(order_id))
    loop = asyncio.get_running_loop()
    # ruleid: task-discarded
    loop.create_task(send_receipt(order_id))
    # ruleid: task-discarded
    asyncio.get_event_loop().create_task(send_receipt(order_id))
    return {"status": "shipped"}


def _finished(task: asyncio.Task[None]) -> None:
    background.discard(task)
    if not task.cancelled() and task.exception():
        log.error("receipt failed", exc_info=task.exception())


@app.post("/orders/{order_id}/refund")
async def refund(order_id: str) -> dict[str, str]:
    # ok: task-discarded
    task = asyncio.create_task(send_receipt(order_id))
    background.add(task)
    task.add_done_callback(_finished)
    # ok: task-discarded
    background.add(asyncio.create_task(send_receipt(order_id)))
    # ok: task-discarded
    asyncio.create_task(send_receipt(order_id)).add_done_callback(_finished)
    # ok: task-discarded
    await asyncio.create_task(send_receipt(order_id))
    # ok: task-discarded
    await asyncio.gather(*[asyncio.create_task(send_receipt(o)) for o in ("a", "b")])
    # ok: task-discarded
    await asyncio.wait_for(asyncio.ensure_future(send_receipt(order_id)), timeout=5)
    async with asyncio.TaskGroup() as group:
        # ok: task-discarded
        group.create_task(send_receipt(order_id))
    return {"status": "refunded"}


async def start_worker() -> asyncio.Task[None]:
    # ok: task-discarded
    return asyncio.create_task(send_receipt("worker"))


async def notify_later(order_id: str) -> None:
    from asyncio import create_task

    # ruleid: task-discarded
    create_task(send_receipt(order_id))
