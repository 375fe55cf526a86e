import jwt from "jsonwebtoken";
import type { NextFunction, Request, Response } from "express";

export function requireUser(req: Request, res: Response, next: NextFunction) {
  const token = req.headers.authorization?.split(" ")[1];
  // ruleid: jwt-decode-without-verify
  const claims = jwt.decode(token as string) as { sub: string; role: string } | null;
  if (!claims) return res.status(401).end();
  (req as any).user = claims;
  next();
}

export const isAdmin = (req: Request, res: Response, next: NextFunction) => {
  // ruleid: jwt-decode-without-verify
  const payload: any = jwt.decode(req.cookies.session);
  if (payload?.role !== "admin") return res.status(403).end();
  next();
};

export function verified(req: Request, res: Response, next: NextFunction) {
  const token = req.headers.authorization?.split(" ")[1] ?? "";
  try {
    // ok: jwt-decode-without-verify
    (req as any).user = jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ["RS256"] });
    next();
  } catch {
    res.status(401).end();
  }
}

export function keyId(token: string): string | undefined {
  // ok: jwt-decode-without-verify
  const decoded = jwt.decode(token, { complete: true });
  return decoded?.header.kid;
}
