import xml.dom.minidom
import xml.sax
import xml.sax.handler

import defusedxml.ElementTree
import defusedxml.minidom
import lxml.etree
from flask import Flask, request

app = Flask(__name__)


@app.route("/import", methods=["POST"])
def import_feed():
    body = request.get_data()
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    # ruleid: xxe-entity-resolution
    doc = xml.dom.minidom.parseString(body, parser)
    return doc.documentElement.tagName


@app.route("/lxml", methods=["POST"])
def lxml_upload():
    upload = request.files["doc"].read()
    parser = lxml.etree.XMLParser(resolve_entities=True, no_network=False)
    # ruleid: xxe-entity-resolution
    root = lxml.etree.fromstring(upload, parser)
    return root.tag


@app.route("/lxml-default", methods=["POST"])
def lxml_default():
    # ruleid: xxe-entity-resolution
    root = lxml.etree.fromstring(request.data)
    return root.tag


# --- safe idioms -------------------------------------------------------------


@app.route("/defused", methods=["POST"])
def defused():
    # ok: xxe-entity-resolution
    root = defusedxml.ElementTree.fromstring(request.data)
    return root.tag


@app.route("/defused-minidom", methods=["POST"])
def defused_minidom():
    # ok: xxe-entity-resolution
    doc = defusedxml.minidom.parseString(request.get_data())
    return doc.documentElement.tagName


@app.route("/sax-default", methods=["POST"])
def sax_default():
    parser = xml.sax.make_parser()
    # external general entities are off by default
    # ok: xxe-entity-resolution
    doc = xml.dom.minidom.parseString(request.get_data(), parser)
    return doc.documentElement.tagName


@app.route("/lxml-safe", methods=["POST"])
def lxml_safe():
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    # ok: xxe-entity-resolution
    root = lxml.etree.fromstring(request.data, parser)
    return root.tag


@app.route("/static")
def static_doc():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    # a document shipped with the app, not request data
    # ok: xxe-entity-resolution
    doc = xml.dom.minidom.parseString("<a>fixed</a>", parser)
    return doc.documentElement.tagName
