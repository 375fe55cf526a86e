import express, { NextFunction, Request, Response } from "express";

const app = express();

// ruleid: debug-default-on-js
const debug = process.env.DEBUG ?? true;
// ruleid: debug-default-on-js
const verboseErrors = process.env.APP_DEBUG || "1";
// ruleid: debug-default-on-js
const sqlDebug = process.env.SQL_DEBUG !== "false";
// ruleid: debug-default-on-js
const graphqlDebug = process.env["GRAPHQL_DEBUG"] ?? "true";

// ok: debug-default-on-js
const debugOff = process.env.DEBUG === "1";
// ok: debug-default-on-js
const debugOff2 = (process.env.DEBUG ?? "false") === "true";
// ok: debug-default-on-js
const logLevel = process.env.LOG_LEVEL || "debug";
// ok: debug-default-on-js
const cacheOn = process.env.CACHE_ENABLED !== "false";
// ok: debug-default-on-js
const debugNs = process.env.DEBUG || "";

const env = process.env.NODE_ENV || "development";

app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  if (env === "development") {
    // ruleid: debug-default-on-js
    return res.status(500).json({ message: err.message, stack: err.stack });
  }
  // ok: debug-default-on-js
  res.status(500).json({ message: "internal error" });
});

app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  // ruleid: debug-default-on-js
  res.status(500).json({ message: err.message, stack: process.env.NODE_ENV !== "production" ? err.stack : undefined });
});

app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  if (process.env.NODE_ENV === "development") {
    // ok: debug-default-on-js
    return res.status(500).json({ message: err.message, stack: err.stack });
  }
  if (env !== "production") {
    // ok: debug-default-on-js
    console.error(err.stack);
  }
  // ok: debug-default-on-js
  res.status(500).json({ message: "internal error", ...(process.env.NODE_ENV === "development" && { stack: err.stack }) });
});

app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  // ruleid: debug-default-on-js
  res.status(500).send({ error: err.message, stack: process.env.NODE_ENV === "production" ? undefined : err.stack });
});
