import express, { Request, Response, NextFunction } from "express";

const app = express();

// ruleid: unhandled-async-route-js
app.delete("/sessions/:id", async (req: Request, res: Response) => {
  await sessions.revoke(req.params.id);
  res.sendStatus(204);
});

// ok: unhandled-async-route-js
app.get("/profile", async (req: Request, res: Response, next: NextFunction) => {
  try {
    res.json(await profiles.load(req.params.id));
  } catch (err) {
    next(err);
  }
});

const sessions = { revoke: async (id: string) => id };
const profiles = { load: async (id: string) => ({ id }) };

export default app;
