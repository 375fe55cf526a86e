import { Pool } from "pg";
import type { Request, Response } from "express";

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

export async function getOrder(req: Request, res: Response) {
  // ruleid: sql-string-building-js
  const { rows } = await pool.query(`SELECT id, total FROM orders WHERE id = ${req.params.id}`);
  res.json(rows[0]);
}

export async function search(req: Request, res: Response) {
  const sql = "SELECT id, name FROM products WHERE name LIKE '%" + req.query.q + "%' LIMIT 50";
  // ruleid: sql-string-building-js
  const { rows } = await pool.query(sql);
  res.json(rows);
}

export async function sorted(req: Request, res: Response, knex: any) {
  // ruleid: sql-string-building-js
  const rows = await knex.raw(`select * from users order by ${req.query.sort} limit 20`);
  res.json(rows);
}

export async function getOrderSafe(req: Request, res: Response) {
  // ok: sql-string-building-js
  const { rows } = await pool.query("SELECT id, total FROM orders WHERE id = $1", [req.params.id]);
  res.json(rows[0]);
}

export async function byIds(ids: number[]) {
  const params = ids.map((_, i) => `$${i + 1}`);
  // ok: sql-string-building-js
  return pool.query(`SELECT id, total FROM orders WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(", ")})`, ids);
}

export async function recent(limit: number) {
  // ok: sql-string-building-js
  return pool.query({ text: "SELECT id FROM orders ORDER BY created_at DESC LIMIT $1", values: [limit] });
}
