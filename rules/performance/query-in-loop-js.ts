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

export async function loadAuthors(posts: { authorId: string }[]) {
  return Promise.all(
    // ruleid: query-in-loop-js
    posts.map(async (p) => await prisma.user.findUnique({ where: { id: p.authorId } })),
  );
}

export async function loadTeams(ids: string[]) {
  // ruleid: query-in-loop-js
  return Promise.all(ids.map((id) => Team.findById(id)));
}

export async function loadOwners(ids: string[]) {
  // ruleid: query-in-loop-js
  const owners = await Promise.all(ids.map((id) => Owner.findOne({ _id: id })));
  return owners;
}

export async function loadMembers(ids: string[]) {
  const out = [];
  for (const id of ids) {
    // ruleid: query-in-loop-js
    out.push(await Member.findById(id).populate("team").lean());
  }
  return out;
}

export async function loadTeamsBatched(ids: string[]) {
  // ok: query-in-loop-js
  const teams = await Team.find({ _id: { $in: ids } });
  // ok: query-in-loop-js
  return ids.map((id) => teams.find((t) => String(t._id) === id));
}

export async function loadAuthorsBatched(posts: { authorId: string }[]) {
  // ok: query-in-loop-js
  const users = await prisma.user.findMany({ where: { id: { in: posts.map((p) => p.authorId) } } });
  return users;
}
