from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, UploadFile, status
from flask import Blueprint, Flask, abort, g, jsonify, request
from flask_jwt_extended import jwt_required
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from .auth import get_current_user, require_admin
from .db import get_db, orders, users
from .models import User

app = Flask(__name__)
bp = Blueprint("orders", __name__)
api = FastAPI()
router = APIRouter(prefix="/api")


@app.route("/orders/<int:order_id>", methods=["DELETE"])
# ruleid: route-without-auth
def delete_order(order_id: int):
    orders.delete(order_id)
    return "", 204


@bp.put("/users/<int:user_id>/role")
# ruleid: route-without-auth
def set_role(user_id: int):
    users.set_role(user_id, request.json["role"])
    return jsonify(ok=True)


@app.get("/admin/exports")
# ruleid: route-without-auth
def admin_exports():
    return jsonify(orders.export_all())


@router.delete("/users/{user_id}")
# ruleid: route-without-auth
async def remove_user(user_id: int, db: Session = Depends(get_db)):
    db.query(User).filter(User.id == user_id).delete()
    db.commit()


@api.post("/admin/reindex")
# ruleid: route-without-auth
async def reindex(db: Annotated[Session, Depends(get_db)]):
    await db.reindex()
    return {"status": "started"}


@app.route("/orders/<int:order_id>", methods=["DELETE"])
@login_required
# ok: route-without-auth
def delete_own_order(order_id: int):
    order = orders.get(order_id)
    if order.owner_id != current_user.id:
        abort(403)
    orders.delete(order_id)
    return "", 204


@bp.put("/users/<int:user_id>/role")
@jwt_required()
# ok: route-without-auth
def set_role_checked(user_id: int):
    users.set_role(user_id, request.json["role"])
    return jsonify(ok=True)


@router.delete("/users/{user_id}")
# ok: route-without-auth
async def remove_user_checked(
    user_id: int,
    db: Session = Depends(get_db),
    admin: User = Depends(require_admin),
):
    db.query(User).filter(User.id == user_id).delete()
    db.commit()


@api.patch("/orders/{order_id}")
# ok: route-without-auth
async def update_order(order_id: int, payload: dict, user: Annotated[User, Depends(get_current_user)]):
    return await orders.update(order_id, payload, owner=user.id)


@app.post("/orders/<int:order_id>/cancel")
# ok: route-without-auth
def cancel_order(order_id: int):
    if g.user is None:
        abort(401)
    return jsonify(orders.cancel(order_id, by=g.user.id))


@app.post("/password/reset/<token>")
# ok: route-without-auth
def reset_password(token: str):
    return jsonify(ok=users.reset_password(token, request.form["password"]))


@app.get("/orders/<int:order_id>")
# ok: route-without-auth
def show_order(order_id: int):
    return jsonify(orders.public_view(order_id))


@app.post("/orders")
# ok: route-without-auth
def create_guest_order():
    return jsonify(orders.create_guest(request.json)), 201
