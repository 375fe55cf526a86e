import json

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework.decorators import api_view

from .models import Comment, Post


@csrf_exempt
# ruleid: route-without-auth-django
def create_post(request):
    payload = json.loads(request.body)
    post = Post.objects.create(title=payload["title"], body=payload["body"])
    return JsonResponse({"id": post.id}, status=201)


@require_POST
# ruleid: route-without-auth-django
def delete_post(request, pk):
    get_object_or_404(Post, pk=pk).delete()
    return redirect("/")


# ruleid: route-without-auth-django
def edit_post(request, pk):
    post = get_object_or_404(Post, pk=pk)
    if request.method == "POST":
        post.title = request.POST["title"]
        post.save()
    return redirect("/")


# ruleid: route-without-auth-django
def publish_all(request):
    Post.objects.filter(published=False).update(published=True)
    return JsonResponse({"ok": True})


class PostDelete(View):
    # ruleid: route-without-auth-django
    def post(self, request, pk):
        Post.objects.filter(pk=pk).delete()
        return redirect("/")


# ---- safe ----
@csrf_exempt
@login_required
# ok: route-without-auth-django
def create_post_ok(request):
    payload = json.loads(request.body)
    post = Post.objects.create(author=request.user.author, title=payload["title"])
    return JsonResponse({"id": post.id}, status=201)


@permission_required("blog.delete_post")
# ok: route-without-auth-django
def delete_post_ok(request, pk):
    get_object_or_404(Post, pk=pk).delete()
    return redirect("/")


# ok: route-without-auth-django
def edit_own_post(request, pk):
    post = get_object_or_404(Post, pk=pk)
    if post.author_id != request.user.id:
        return HttpResponseForbidden()
    post.save()
    return redirect("/")


# ok: route-without-auth-django
def post_list(request):
    # reads only
    return JsonResponse({"titles": list(Post.objects.values_list("title", flat=True)[:50])})


# ok: route-without-auth-django
def signup(request):
    # public on purpose
    if request.method == "POST":
        Comment.objects.create(body="welcome")
    return redirect("/")


@api_view(["POST"])
# ok: route-without-auth-django
def drf_create(request):
    # DRF: DEFAULT_PERMISSION_CLASSES from settings apply
    Post.objects.create(title=request.data["title"])
    return JsonResponse({"ok": True})


class PostDeleteOk(LoginRequiredMixin, View):
    # ok: route-without-auth-django
    def post(self, request, pk):
        Post.objects.filter(pk=pk).delete()
        return redirect("/")
