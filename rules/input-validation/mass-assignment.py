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


# ---- Django / Starlette raw bodies parsed by hand ----
import json  # noqa: E402


def django_json_create(request):
    payload = json.loads(request.body)
    # ruleid: mass-assignment
    post = Post.objects.create(**payload)
    return JsonResponse({"id": post.id}, status=201)


def django_json_update(request, pk):
    data = json.loads(request.body.decode("utf-8"))
    # ruleid: mass-assignment
    Post.objects.filter(pk=pk).update(**data)
    return JsonResponse({"ok": True})


def django_json_model(request):
    fields = json.loads(request.body)
    # ruleid: mass-assignment
    post = Post(**fields)
    post.save()
    return JsonResponse({"id": post.id})


def django_form_dict(request):
    # ruleid: mass-assignment
    Post.objects.update_or_create(slug=request.POST["slug"], defaults=request.POST.dict())
    return JsonResponse({"ok": True})


async def starlette_create(request):
    body = json.loads(await request.body())
    # ruleid: mass-assignment
    db.session.add(User(**body))
    return JsonResponse({"ok": True})


def flask_raw_body():
    data = json.loads(request.get_data())
    # ruleid: mass-assignment
    db.session.add(User(**data))
    return "ok"


class PostIn(BaseModel):
    title: str
    body: str


def django_json_fields(request):
    payload = json.loads(request.body)
    # ok: mass-assignment
    post = Post.objects.create(title=payload["title"], body=payload["body"])
    return JsonResponse({"id": post.id})


def django_json_schema(request):
    # the pydantic model whitelists the fields; its .dict() / .model_dump() is safe to unpack
    checked = PostIn(**json.loads(request.body))
    # ok: mass-assignment
    Post.objects.create(**checked.dict())
    # ok: mass-assignment
    Post.objects.create(**checked.model_dump(exclude_unset=True))
    return JsonResponse({"ok": True})


def django_json_validated(request):
    checked = PostIn.model_validate_json(request.body)
    # ok: mass-assignment
    post = Post(**checked.model_dump())
    post.save()
    return JsonResponse({"id": post.id})
