import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Identity } from '#lib/auth/identifiers';
import type { Role } from '#lib/auth/roles';
import { db, schema } from '#lib/db/index';
import { publicUrl } from '#lib/platform/storage/urls';

const { admins, hosts, users } = schema;

/**
 * The user or host with this phone or email, created on first sign-in. Admins are never
 * created here: an unknown admin is undefined.
 */
export async function findOrCreatePrincipal(id: Identity): Promise<string | undefined> {
  if (id.role === 'admin') {
    const [admin] = await db()
      .select({ id: admins.id })
      .from(admins)
      .where(eq(admins.email, id.email ?? ''));
    return admin?.id;
  }
  const table = id.role === 'user' ? users : hosts;
  const target = id.phone ? table.phone : table.email;
  const [row] = await db()
    .insert(table)
    .values(id.phone ? { phone: id.phone } : { email: id.email })
    .onConflictDoUpdate({ target, set: { updatedAt: sql`now()` } })
    .returning({ id: table.id });
  return row?.id;
}

/** Whether an admin with this email exists (OTP requests for unknown admins send nothing). */
export async function adminExists(email: string): Promise<boolean> {
  const [admin] = await db().select({ id: admins.id }).from(admins).where(eq(admins.email, email));
  return Boolean(admin);
}

export interface Profile {
  id: string;
  role: Role;
  name: string | null;
  phone: string | null;
  email: string | null;
  avatarUrl: string | null;
  createdAt: Date;
}

/** The table of a role that signs up (guests and hosts). */
export const accountTable = (role: 'user' | 'host') => (role === 'user' ? users : hosts);

export async function getProfile(role: Role, id: string): Promise<Profile | undefined> {
  if (role === 'admin') {
    const [a] = await db().select().from(admins).where(eq(admins.id, id));
    return (
      a && {
        id: a.id,
        role,
        name: a.name,
        phone: null,
        email: a.email,
        avatarUrl: null,
        createdAt: a.createdAt,
      }
    );
  }
  const table = accountTable(role);
  const [p] = await db()
    .select()
    .from(table)
    .where(and(eq(table.id, id), isNull(table.deletedAt)));
  return (
    p && {
      id: p.id,
      role,
      name: p.name,
      phone: p.phone,
      email: p.email,
      avatarUrl: p.avatarKey ? publicUrl(p.avatarKey) : null,
      createdAt: p.createdAt,
    }
  );
}
