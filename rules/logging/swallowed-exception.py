import logging

logger = logging.getLogger(__name__)


def send_receipt(mailer, order) -> None:
    try:
        mailer.send(order.customer_email, order.receipt())
    except Exception:
        # ruleid: swallowed-exception
        pass


def sync_inventory(client, skus: list[str]) -> None:
    for sku in skus:
        try:
            client.push(sku)
        except Exception as e:
            # ruleid: swallowed-exception
            print(f"sync failed for {sku}: {e}")


def close_all(conns) -> None:
    for conn in conns:
        try:
            conn.close()
        except:
            # ok: swallowed-exception
            continue


def create_order(gateway, order) -> tuple[dict, int]:
    try:
        charge = gateway.charge(order.id, order.total_cents)
    except Exception as e:
        # ruleid: swallowed-exception
        print(f"payment failed: {e}")
        return {"error": "payment failed"}, 502
    return {"charge": charge.id}, 201


def cleanup(path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        # ok: swallowed-exception
        pass


def main(report) -> int:
    try:
        # ok: swallowed-exception
        print(report.render(), flush=True)
    except Exception:
        logger.exception("report failed")
        return 1
    return 0


def close_quietly(stream) -> None:
    try:
        # ok: swallowed-exception
        stream.close()
    except Exception:
        pass


def load_value(raw: str):
    try:
        value = json_loads(raw)
    except Exception:
        # ok: swallowed-exception
        # keep the value as a string if it is not JSON
        pass
    else:
        return value
    return raw


def load_plugins(names) -> list:
    plugins = []
    for name in names:
        try:
            plugins.append(import_module(name))
        except ImportError:
            # ok: swallowed-exception
            pass
    return plugins


def refund(gateway, order) -> None:
    try:
        gateway.refund(order.id)
        order.mark_refunded()
    except Exception:
        # ruleid: swallowed-exception
        pass


def remove_cache(path) -> None:
    import contextlib

    # ok: swallowed-exception
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def notify(hooks, event) -> None:
    for hook in hooks:
        try:
            hook.post(event)
        except Exception:  # TODO: handle this
            # ruleid: swallowed-exception
            continue
