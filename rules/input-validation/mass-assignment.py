from django.http import JsonResponse
from flask import Flask, request
from pydantic import BaseModel

from .models import Profile, User, db

app = Flask(__name__)
ALLOWED = {"name", "email"}


@app.route("/users", methods=["POST"])
def create_user():
    # ruleid: mass-assignment
    user = User(**request.json)
    db.session.add(user)
    return "ok"


@app.route("/users2", methods=["POST"])
def create_user2():
    data = request.get_json()
    # ruleid: mass-assignment
    user = User(**data)
    db.session.add(user)
    return "ok"


def django_create(request):
    # ruleid: mass-assignment
    profile = Profile.objects.create(**request.POST.dict())
    return JsonResponse({"id": profile.id})


@app.route("/me", methods=["PUT"])
def update_me():
    user = User.query.get(1)
    # ruleid: mass-assignment
    user.__dict__.update(request.json)
    return "ok"


@app.route("/me2", methods=["PUT"])
def update_me2():
    user = User.query.get(1)
    for k, v in request.json.items():
        # ruleid: mass-assignment
        setattr(user, k, v)
    return "ok"


# ---- safe ----
class UserIn(BaseModel):
    name: str
    email: str


@app.route("/users-ok", methods=["POST"])
def create_user_ok():
    data = request.get_json()
    # ok: mass-assignment
    user = User(name=data["name"], email=data["email"])
    # ok: mass-assignment
    payload = UserIn(**request.json)
    # ok: mass-assignment
    user2 = User(**payload.model_dump())
    db.session.add_all([user, user2])
    return "ok"


@app.route("/me-ok", methods=["PUT"])
def update_me_ok():
    user = User.query.get(1)
    for k, v in request.json.items():
        if k in ALLOWED:
            # ok: mass-assignment
            setattr(user, k, v)
    return "ok"


@app.route("/search")
def search():
    # ok: mass-assignment
    return render_template("search.html", **request.args)
