import fs from "node:fs";
import http from "node:http";
import { pipeline } from "node:stream/promises";
import express from "express";
import multer from "multer";

const app = express();
const upload = multer({ dest: "/srv/tmp", limits: { fileSize: 10 * 1024 * 1024, files: 1 } });
const MAX_BODY = 1024 * 1024;

http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  // ruleid: body-read-into-memory-js
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    res.end(String(body.length));
  });
});

export async function POST(request: Request) {
  // ruleid: body-read-into-memory-js
  const bytes = await request.arrayBuffer();
  return new Response(String(bytes.byteLength));
}

app.post("/documents", upload.single("doc"), async (req, res) => {
  // ruleid: body-read-into-memory-js
  const content = await fs.promises.readFile(req.file.path);
  res.json({ size: content.length });
});

async function readBody(req: http.IncomingMessage) {
  const parts: Buffer[] = [];
  // ruleid: body-read-into-memory-js
  for await (const part of req) {
    parts.push(part as Buffer);
  }
  return Buffer.concat(parts);
}

http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  let size = 0;
  // ok: body-read-into-memory-js
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY) {
      res.writeHead(413).end();
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
});

export async function PUT(request: Request) {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (!length || length > MAX_BODY) {
    return new Response("too large", { status: 413 });
  }
  // ok: body-read-into-memory-js
  const text = await request.text();
  return new Response(text.toUpperCase());
}

app.post("/documents-ok", upload.single("doc"), async (req, res) => {
  // ok: body-read-into-memory-js
  await pipeline(fs.createReadStream(req.file.path), fs.createWriteStream(`/srv/docs/${Date.now()}`));
  res.sendStatus(201);
});

async function fetchJson(url: string) {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  // ok: body-read-into-memory-js
  return await response.text();
}

export function rawText(req: http.IncomingMessage, res: http.ServerResponse) {
  let body = "";
  // ruleid: body-read-into-memory-js
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => res.end(String(body.length)));
}
