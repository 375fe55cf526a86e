import { Pool } from "pg";
import { User } from "./models/user";

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

export async function ordersWithCustomers(orderIds: number[]) {
  const result = [];
  for (const id of orderIds) {
    // ruleid: query-in-loop-js
    const { rows } = await pool.query("SELECT id, customer_id FROM orders WHERE id = $1", [id]);
    result.push(rows[0]);
  }
  return result;
}

export async function owners(posts: { authorId: string }[]) {
  const out = [];
  for (let i = 0; i < posts.length; i++) {
    // ruleid: query-in-loop-js
    out.push(await User.findById(posts[i].authorId));
  }
  return out;
}

export async function ordersInOneQuery(orderIds: number[]) {
  // ok: query-in-loop-js
  const { rows } = await pool.query("SELECT id, customer_id FROM orders WHERE id = ANY($1)", [orderIds]);
  return rows;
}

export async function ownersInOneQuery(posts: { authorId: string }[]) {
  const ids = posts.map((p) => p.authorId);
  // ok: query-in-loop-js
  return User.find({ _id: { $in: ids } }).limit(ids.length);
}
