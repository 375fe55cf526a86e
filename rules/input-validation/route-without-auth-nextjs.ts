// pages/api/invoices/[id].ts and app/api/items/route.ts shapes, in one file
import type { NextApiRequest, NextApiResponse } from 'next';
import { getServerSession } from 'next-auth/next';
import { auth } from '@/auth';
import { authOptions, userFrom } from '../../../lib/auth';
import { pool, prisma } from '../../../lib/db';

async function invoiceHandler(req: NextApiRequest, res: NextApiResponse) {
  const id = String(req.query.id);
  if (req.method === 'GET') {
    return res.json(await prisma.invoice.findUnique({ where: { id } }));
  }
  if (req.method === 'PATCH') {
    const user = userFrom(req);
    if (!user) return res.status(401).end();
    return res.json(await prisma.invoice.update({ where: { id }, data: { note: String(req.body.note) } }));
  }
  // ruleid: route-without-auth-nextjs
  if (req.method === 'DELETE') {
    await pool.query('DELETE FROM invoices WHERE id = $1', [id]);  // no auth check here
    return res.status(204).end();
  }
  // ok: route-without-auth-nextjs
  if (req.method === 'POST') {
    if (!userFrom(req)) return res.status(401).end();
    await prisma.invoice.create({ data: { note: String(req.body.note) } });
    return res.status(201).end();
  }
  res.status(405).end();
}

async function sessionFirstHandler(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).end();
  // ok: route-without-auth-nextjs
  if (req.method === 'DELETE') {
    await prisma.invoice.delete({ where: { id: String(req.query.id) } });
    return res.status(204).end();
  }
  res.status(405).end();
}

// ruleid: route-without-auth-nextjs
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== 'DELETE') return res.status(405).end();
  await prisma.invoice.delete({ where: { id: String(req.query.id) } });
  res.status(204).end();
}

// ruleid: route-without-auth-nextjs
export async function DELETE(request: Request) {
  const { id } = await request.json();
  await prisma.item.delete({ where: { id } });
  return new Response(null, { status: 204 });
}

// ok: route-without-auth-nextjs
export async function POST(request: Request) {
  const session = await auth();
  if (!session) return new Response(null, { status: 401 });
  const body = await request.json();
  await prisma.item.create({ data: { name: String(body.name) } });
  return new Response(null, { status: 201 });
}

// ok: route-without-auth-nextjs
export async function PUT(request: Request) {
  // no write: echoes a preview
  const body = await request.json();
  return Response.json({ preview: String(body.title).slice(0, 80) });
}
