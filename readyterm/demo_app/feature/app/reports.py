"""Reports API: /api/reports"""
import csv
import logging
import os
import subprocess

from flask import Blueprint, jsonify, request

from .config import EXPORT_DIR
from .orders import get_db

logger = logging.getLogger(__name__)

bp = Blueprint("reports", __name__, url_prefix="/api/reports")


@bp.get("/export")
def export_orders():
    name = request.args.get("name", "orders")
    cur = get_db().cursor()
    cur.execute("SELECT * FROM orders")
    rows = cur.fetchall()

    path = os.path.join(EXPORT_DIR, f"{name}.csv")
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    subprocess.run(f"gzip -f {path}", shell=True)
    return jsonify(file=f"{name}.csv.gz", rows=len(rows))


@bp.get("/top-customers")
def top_customers():
    try:
        cur = get_db().cursor()
        cur.execute("SELECT customer_id, amount FROM orders")
        rows = cur.fetchall()
        totals = []
        for customer_id, _ in rows:
            if customer_id not in [t[0] for t in totals]:
                total = sum(amount for cid, amount in rows if cid == customer_id)
                totals.append((customer_id, total))
        totals.sort(key=lambda t: t[1], reverse=True)
        return jsonify([{"customer_id": c, "total": t} for c, t in totals[:10]])
    except Exception:
        logger.error("failed")
        return jsonify(error="report failed"), 500
