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


def parse_amount(raw):
    try:
        return int(raw)
    except:
        # ruleid: swallowed-exception
        return 0


def cached_profile(cache, user_id):
    try:
        return cache.get(f"profile:{user_id}")
    except Exception:
        # ruleid: swallowed-exception
        return None


def recent_orders(api, customer):
    try:
        return api.orders(customer)
    except Exception as e:
        # ruleid: swallowed-exception
        logger.debug("orders lookup failed: %s", e)
        return []


def load_settings(store):
    try:
        return store.read()
    except BaseException:
        # ruleid: swallowed-exception
        return {}


def parse_amount_strict(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        # ok: swallowed-exception
        return 0


def cached_profile_logged(cache, user_id):
    try:
        return cache.get(f"profile:{user_id}")
    except Exception:
        # ok: swallowed-exception
        logger.warning("profile cache unavailable", exc_info=True)
        return None


def charge_view(gateway, order):
    try:
        return gateway.charge(order.id)
    except Exception:
        logger.exception("charge failed")
        # ok: swallowed-exception
        return {"error": "payment failed"}, 502


def is_ipv4(host) -> bool:
    try:
        ipaddress.IPv4Address(host)
    except Exception:
        # ok: swallowed-exception
        return False
    return True


def lookup_reraised(client, key):
    try:
        return client.get(key)
    except Exception:
        # ok: swallowed-exception
        logger.debug("lookup failed for %s", key)
        raise


def template_value(value):
    try:
        return value.render()
    except Exception:  # template filters must never raise: an empty string is the contract
        # ok: swallowed-exception
        return ""
