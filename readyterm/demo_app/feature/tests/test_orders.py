import pytest

from app import create_app
from app import orders


class FakeCursor:
    def __init__(self, rows, items=()):
        self.rows = rows
        self.items = list(items)
        self.result = []

    def execute(self, sql, params=None):
        self.result = self.items if "order_items" in sql else self.rows

    def fetchall(self):
        return self.result

    def fetchone(self):
        return self.result[0]


class FakeConn:
    def __init__(self, rows, items=()):
        self._cursor = FakeCursor(rows, items)

    def cursor(self):
        return self._cursor

    def commit(self):
        pass


@pytest.fixture
def client():
    app = create_app({"TESTING": True})
    return app.test_client()


def test_healthz(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok"}


def test_list_orders(client, monkeypatch):
    monkeypatch.setattr(orders, "get_db", lambda: FakeConn([(1, 42, "open")], [("SKU-1", 2)]))
    resp = client.get("/api/orders?status=open")
    assert resp.status_code == 200
    assert resp.get_json()[0]["id"] == 1
    assert resp.get_json()[0]["items"] == [{"sku": "SKU-1", "quantity": 2}]


def test_create_order(client, monkeypatch):
    monkeypatch.setattr(orders, "get_db", lambda: FakeConn([]))
    monkeypatch.setattr(orders, "charge", lambda amount, token: {"id": "ch_123", "status": "succeeded"})
    resp = client.post("/api/orders", json={"customer_id": 42, "amount": 1999, "card_token": "tok_visa"})
    assert resp.status_code == 201
    assert resp.get_json()["charge_id"] == "ch_123"


def test_get_customer(client, monkeypatch):
    monkeypatch.setattr(orders, "get_db", lambda: FakeConn([(42, "Ada", "ada@example.com")]))
    resp = client.get("/api/orders/customers/42")
    assert resp.status_code == 200
    assert resp.get_json()["name"] == "Ada"
